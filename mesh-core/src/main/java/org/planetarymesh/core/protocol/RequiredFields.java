package org.planetarymesh.core.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * The check that every field a message type requires is present and not null, run on the parsed frame before it is
 * bound, so that the error names the field by its full path instead of a binder's default standing in for it.
 */
final class RequiredFields {

    private static final PropertyNamingStrategies.NamingBase SNAKE_CASE =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

    private RequiredFields() {}

    /** Refuses {@code object}, a frame of {@code type} bound to {@code recordType}, if a required field is missing. */
    static void check(String type, Class<?> recordType, JsonNode object) {
        check(type, recordType, object, "");
    }

    /**
     * Refuses the frame if a field {@code type} requires is absent or null, naming it with its full path
     * ({@code running_jobs[0].attempt}); recurses into nested records and lists of records.
     */
    private static void check(String type, Class<?> recordType, JsonNode object, String prefix) {
        for (FieldRule field : FIELD_RULES.get(recordType)) {
            JsonNode value = object.get(field.name());
            if (field.required() && (value == null || value.isNull())) {
                throw new ProtocolException(
                        "missing_field", type + ": missing required field '" + prefix + field.name() + "'");
            }
            if (value == null) {
                continue;
            }
            if (field.record() != null && value.isObject()) {
                check(type, field.record(), value, prefix + field.name() + ".");
            } else if (field.elementRecord() != null && value.isArray()) {
                for (int i = 0; i < value.size(); i++) {
                    if (value.get(i).isObject()) {
                        check(type, field.elementRecord(), value.get(i), prefix + field.name() + "[" + i + "].");
                    }
                }
            }
        }
    }

    /**
     * What {@link #check} needs to know about one record component: its JSON name, whether it is required,
     * and the record type to recurse into (the component's own, or its list's elements). Worked out once per type:
     * reflection on every frame (record components, annotations) cost more than the rest of decoding.
     */
    private record FieldRule(String name, boolean required, Class<?> record, Class<?> elementRecord) {}

    private static final ClassValue<List<FieldRule>> FIELD_RULES = new ClassValue<>() {
        @Override
        protected List<FieldRule> computeValue(Class<?> recordType) {
            List<FieldRule> rules = new ArrayList<>();
            for (RecordComponent component : recordType.getRecordComponents()) {
                JsonProperty property = component.getAccessor().getAnnotation(JsonProperty.class);
                Class<?> nested = component.getType().isRecord() ? component.getType() : null;
                Class<?> element =
                        elementType(component.getGenericType()) instanceof Class<?> c && c.isRecord() ? c : null;
                rules.add(new FieldRule(
                        SNAKE_CASE.translate(component.getName()),
                        property != null && property.required(),
                        nested,
                        element));
            }
            return List.copyOf(rules);
        }
    };

    private static Type elementType(Type type) {
        return type instanceof ParameterizedType p && p.getActualTypeArguments().length == 1
                ? p.getActualTypeArguments()[0]
                : null;
    }
}
