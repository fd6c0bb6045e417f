package org.planetarymesh.core.job;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The field readers a spec's parsers share, and the problems they found: each reader records an error with the
 * field's full path and returns null when the value is unusable, so one pass reports every problem.
 */
final class SpecFields {

    private final List<FieldError> errors = new ArrayList<>();

    List<FieldError> errors() {
        return errors;
    }

    void unknownFields(JsonNode node, String prefix, Set<String> known) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name)) {
                error(prefix + name, "is not a known field");
            }
        }
    }

    boolean objectOrAbsent(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isObject()) {
            error(path, "must be an object");
            return false;
        }
        return true;
    }

    String requiredText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            error(field, "is required");
            return null;
        }
        if (!value.isTextual()) {
            error(field, "must be a string");
            return null;
        }
        return value.asText();
    }

    String optionalText(JsonNode node, String field, String path, int maxLength) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            error(path, "must be a string");
            return null;
        }
        if (value.asText().isEmpty() || value.asText().length() > maxLength) {
            error(path, "must be 1-" + maxLength + " characters");
            return null;
        }
        return value.asText();
    }

    Integer intInRange(JsonNode node, String field, String path, int min, int max) {
        Long value = longInRange(node, field, path, min, max);
        return value == null ? null : value.intValue();
    }

    Long longInRange(JsonNode node, String field, String path, long min, long max) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            error(path, "must be an integer between " + min + " and " + max);
            return null;
        }
        long v = value.asLong();
        if (v < min || v > max) {
            error(path, "must be between " + min + " and " + max);
            return null;
        }
        return v;
    }

    Double doubleInRange(JsonNode node, String field, String path, double min, double max) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            error(path, "must be a number between " + fmt(min) + " and " + fmt(max));
            return null;
        }
        double v = value.asDouble();
        if (!(v >= min && v <= max)) {
            error(path, "must be between " + fmt(min) + " and " + fmt(max));
            return null;
        }
        return v;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    Instant instant(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            error(field, "must be an ISO-8601 instant such as 2030-01-01T00:00:00Z");
            return null;
        }
        try {
            return Instant.parse(value.asText());
        } catch (DateTimeParseException e) {
            error(field, "must be an ISO-8601 instant such as 2030-01-01T00:00:00Z (got '" + value.asText() + "')");
            return null;
        }
    }

    <E extends Enum<E>> E enumValue(JsonNode node, String field, Class<E> type) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        List<String> names = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            names.add(constant.name());
        }
        if (value.isTextual()) {
            String upper = value.asText().toUpperCase(Locale.ROOT);
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equals(upper)) {
                    return constant;
                }
            }
        }
        error(field, "must be one of " + String.join(", ", names));
        return null;
    }

    List<String> textList(JsonNode node, String field, String path, int maxItems) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isArray()) {
            error(path, "must be an array of strings");
            return null;
        }
        if (value.size() > maxItems) {
            error(path, "must have at most " + maxItems + " items");
            return null;
        }
        List<String> items = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            if (!item.isTextual() || item.asText().isEmpty()) {
                error(path + "[" + i + "]", "must be a non-empty string");
            } else {
                items.add(item.asText());
            }
        }
        return items;
    }

    List<String> jobIdList(JsonNode node, String field) {
        List<String> ids = textList(node, field, field, JobSpecParser.MAX_DEPENDENCIES);
        if (ids == null) {
            return null;
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            if (!JobIds.isValid(ids.get(i))) {
                error(field + "[" + i + "]", "must be a job id (a UUIDv7 string), got '" + ids.get(i) + "'");
            } else if (seen.putIfAbsent(ids.get(i), i) != null) {
                error(field + "[" + i + "]", "repeats " + field + "[" + seen.get(ids.get(i)) + "]");
            }
        }
        return ids;
    }

    void error(String field, String message) {
        errors.add(new FieldError(field, message));
    }
}
