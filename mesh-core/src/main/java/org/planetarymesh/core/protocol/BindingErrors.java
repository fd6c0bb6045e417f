package org.planetarymesh.core.protocol;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.util.stream.Collectors;

/** Words the mapper's binding failures as protocol errors that name the field and the JSON type it must have. */
final class BindingErrors {

    private BindingErrors() {}

    /** The failing field's path, e.g. {@code running_jobs[0].attempt}. */
    static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
    }

    static ProtocolException describe(String type, MismatchedInputException e) {
        String path = path(e);
        String original = e.getOriginalMessage();
        if (original.startsWith("Missing required creator property")) {
            String field = original.replaceAll("^Missing required creator property '([^']+)'.*$", "$1");
            return new ProtocolException("missing_field", type + ": missing required field '" + field + "'");
        }
        String expected = e.getTargetType() == null ? "another type" : jsonTypeName(e.getTargetType());
        return new ProtocolException("wrong_type", type + ": field '" + path + "' must be " + expected);
    }

    private static String jsonTypeName(Class<?> target) {
        if (target == int.class || target == long.class || target == Integer.class || target == Long.class) {
            return "an integer";
        }
        if (target == double.class || target == Double.class) {
            return "a number";
        }
        if (target == boolean.class || target == Boolean.class) {
            return "a boolean";
        }
        if (target == String.class) {
            return "a string";
        }
        if (java.util.Collection.class.isAssignableFrom(target)) {
            return "an array";
        }
        if (target == java.time.Instant.class) {
            return "an ISO-8601 instant";
        }
        return "an object";
    }
}
