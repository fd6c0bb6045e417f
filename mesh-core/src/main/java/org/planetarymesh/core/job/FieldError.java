package org.planetarymesh.core.job;

/** One problem with a submitted document, at a JSON field path such as {@code retry.max_attempts}. */
public record FieldError(String field, String message) {
    @Override
    public String toString() {
        return field.isEmpty() ? message : field + " " + message;
    }
}
