package org.planetarymesh.client;

/**
 * One entry of an API error's {@code details}: the field that is wrong and why; {@code index} is the position of the
 * spec in a batch submission, null otherwise.
 */
public record ErrorDetail(Integer index, String field, String message) {

    @Override
    public String toString() {
        String where = index == null ? "" : "jobs[" + index + "]";
        if (field != null && !field.isEmpty()) {
            where = where.isEmpty() ? field : where + "." + field;
        }
        return where.isEmpty() ? message : where + ": " + message;
    }
}
