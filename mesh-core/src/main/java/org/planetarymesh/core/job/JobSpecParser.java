package org.planetarymesh.core.job;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.planetarymesh.core.json.Json;

/**
 * Turns a user's JSON job spec into a {@link JobSpec}, or reports every problem at once with its field path
 * ({@code "retry.max_attempts must be between 1 and 100"}). Unknown fields are refused so that typos do not pass
 * silently.
 */
public final class JobSpecParser {

    /** Job types are short identifiers: executor names or capability names. */
    public static final Pattern TYPE_PATTERN = Pattern.compile("^[a-z0-9][a-z0-9._:/-]{0,127}$");

    public static final int MAX_DEPENDENCIES = 1_000;
    public static final long MAX_TIMEOUT_MS = 7L * 24 * 3600 * 1000;

    /**
     * Deepest payload accepted: the job is stored as {@code {"spec": {"payload": ...}}}, two levels above the payload,
     * and every stored document must stay within {@link Json#MAX_NESTING_DEPTH} to be readable again.
     */
    public static final int MAX_PAYLOAD_DEPTH = Json.MAX_NESTING_DEPTH - 2;

    private static final Set<String> TOP_FIELDS = Set.of(
            "type",
            "payload",
            "scope",
            "priority",
            "deadline",
            "timeout_ms",
            "requirements",
            "placement",
            "retry",
            "idempotency_key",
            "depends_on",
            "parent_id",
            "budget");
    private static final Set<String> REQUIREMENT_FIELDS = Set.of("capabilities", "resources", "labels", "model");
    private static final Set<String> RESOURCE_FIELDS = Set.of("cpu", "memory_mb", "gpus");
    private static final String POLICY_NAMES = String.join(
            ", ",
            Arrays.stream(PlacementPolicy.values())
                    .map(PlacementPolicy::wireName)
                    .toList());
    private static final Set<String> PLACEMENT_FIELDS = Set.of("policy", "window_ms", "max_price");
    private static final Set<String> RETRY_FIELDS = Set.of("max_attempts", "backoff");
    private static final Set<String> BACKOFF_FIELDS = Set.of("initial_ms", "multiplier", "max_ms", "jitter");

    private final List<FieldError> errors = new ArrayList<>();
    private boolean sawNonFiniteNumber;

    private JobSpecParser() {}

    /** Parses {@code json}; throws {@link InvalidSpecException} listing every problem. */
    public static JobSpec parse(JsonNode json) {
        JobSpecParser parser = new JobSpecParser();
        JobSpec spec = parser.spec(json);
        if (!parser.errors.isEmpty()) {
            throw new InvalidSpecException(parser.errors);
        }
        return spec;
    }

    private JobSpec spec(JsonNode json) {
        if (json == null || !json.isObject()) {
            error("", "a job spec must be a JSON object");
            return null;
        }
        unknownFields(json, "", TOP_FIELDS);
        String type = requiredText(json, "type");
        if (type != null && !TYPE_PATTERN.matcher(type).matches()) {
            error(
                    "type",
                    "must be 1-128 characters of a-z, 0-9, '.', '_', ':', '/', '-', starting with a letter or digit");
        }
        Scope scope = enumValue(json, "scope", Scope.class);
        Integer priority = intInRange(json, "priority", "priority", -1_000_000, 1_000_000);
        Instant deadline = instant(json, "deadline");
        Long timeoutMs = longInRange(json, "timeout_ms", "timeout_ms", 1, MAX_TIMEOUT_MS);
        Requirements requirements = requirements(json.get("requirements"));
        Placement placement = placement(json.get("placement"));
        RetryPolicy retry = retry(json.get("retry"));
        String idempotencyKey = optionalText(json, "idempotency_key", "idempotency_key", 256);
        List<String> dependsOn = jobIdList(json, "depends_on");
        String parentId = optionalText(json, "parent_id", "parent_id", 64);
        if (parentId != null && !JobIds.isValid(parentId)) {
            error("parent_id", "must be a job id (a UUIDv7 string)");
        }
        Long budget = longInRange(json, "budget", "budget", 0, Long.MAX_VALUE);
        if (depth(json.get("payload"), MAX_PAYLOAD_DEPTH + 1) > MAX_PAYLOAD_DEPTH) {
            error("payload", "nests deeper than " + MAX_PAYLOAD_DEPTH + " levels");
        } else if (sawNonFiniteNumber) {
            // JSON allows it, but as a double it becomes Infinity, which the job would hand on as "Infinity".
            error(
                    "payload" + nonFiniteNumber(json.get("payload")),
                    "is a number beyond the range of a 64-bit float (about ±1.8e308); send it as a string");
        }
        return new JobSpec(
                type,
                json.get("payload"),
                scope,
                priority == null ? 0 : priority,
                deadline,
                timeoutMs,
                requirements,
                placement,
                retry,
                idempotencyKey,
                dependsOn,
                parentId,
                budget);
    }

    private Requirements requirements(JsonNode node) {
        if (!objectOrAbsent(node, "requirements")) {
            return null;
        }
        unknownFields(node, "requirements.", REQUIREMENT_FIELDS);
        List<String> capabilities = textList(node, "capabilities", "requirements.capabilities", 64);
        Resources resources = resources(node.get("resources"));
        Map<String, String> labels = labels(node.get("labels"));
        String model = optionalText(node, "model", "requirements.model", 256);
        return new Requirements(capabilities, resources, labels, model);
    }

    private Resources resources(JsonNode node) {
        if (!objectOrAbsent(node, "requirements.resources")) {
            return null;
        }
        unknownFields(node, "requirements.resources.", RESOURCE_FIELDS);
        Double cpu = doubleInRange(node, "cpu", "requirements.resources.cpu", 0, 100_000);
        Long memory = longInRange(node, "memory_mb", "requirements.resources.memory_mb", 0, 1L << 40);
        Integer gpus = intInRange(node, "gpus", "requirements.resources.gpus", 0, 1_024);
        return new Resources(cpu == null ? 0 : cpu, memory == null ? 0 : memory, gpus == null ? 0 : gpus);
    }

    private Map<String, String> labels(JsonNode node) {
        String path = "requirements.labels";
        if (!objectOrAbsent(node, path)) {
            return null;
        }
        Map<String, String> labels = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            var entry = it.next();
            if (!entry.getValue().isTextual()) {
                error(path + "." + entry.getKey(), "must be a string");
            } else {
                labels.put(entry.getKey(), entry.getValue().asText());
            }
        }
        return labels;
    }

    private Placement placement(JsonNode node) {
        if (node != null && node.isTextual()) { // shorthand: "placement": "first-healthy"
            return new Placement(policy(node, "placement"), null, null);
        }
        if (node != null && !node.isNull() && !node.isObject()) {
            error("placement", "must be a policy name (" + POLICY_NAMES + ") or an object");
            return null;
        }
        if (!objectOrAbsent(node, "placement")) {
            return null;
        }
        unknownFields(node, "placement.", PLACEMENT_FIELDS);
        PlacementPolicy policy = node.has("policy") ? policy(node.get("policy"), "placement.policy") : null;
        Long window = longInRange(node, "window_ms", "placement.window_ms", 1, 600_000);
        Long maxPrice = longInRange(node, "max_price", "placement.max_price", 0, Long.MAX_VALUE);
        return new Placement(policy, window, maxPrice);
    }

    private PlacementPolicy policy(JsonNode node, String path) {
        if (!node.isTextual()) {
            error(path, "must be a string: " + POLICY_NAMES);
            return null;
        }
        var policy = PlacementPolicy.fromWire(node.asText());
        if (policy.isEmpty()) {
            error(path, "must be one of " + POLICY_NAMES + " (got '" + node.asText() + "')");
        }
        return policy.orElse(null);
    }

    private RetryPolicy retry(JsonNode node) {
        if (!objectOrAbsent(node, "retry")) {
            return null;
        }
        unknownFields(node, "retry.", RETRY_FIELDS);
        Integer max = intInRange(node, "max_attempts", "retry.max_attempts", 1, 100);
        Backoff backoff = backoff(node.get("backoff"));
        return new RetryPolicy(max == null ? RetryPolicy.DEFAULT.maxAttempts() : max, backoff);
    }

    private Backoff backoff(JsonNode node) {
        if (!objectOrAbsent(node, "retry.backoff")) {
            return null;
        }
        unknownFields(node, "retry.backoff.", BACKOFF_FIELDS);
        Backoff d = Backoff.DEFAULT;
        Long initial = longInRange(node, "initial_ms", "retry.backoff.initial_ms", 0, 86_400_000);
        Double multiplier = doubleInRange(node, "multiplier", "retry.backoff.multiplier", 1, 10);
        Long max = longInRange(node, "max_ms", "retry.backoff.max_ms", 0, 86_400_000);
        Double jitter = doubleInRange(node, "jitter", "retry.backoff.jitter", 0, 1);
        return new Backoff(
                initial == null ? d.initialMs() : initial,
                multiplier == null ? d.multiplier() : multiplier,
                max == null ? d.maxMs() : max,
                jitter == null ? d.jitter() : jitter);
    }

    // --- field helpers: each records an error with the full path and returns null when the value is unusable ---

    private void unknownFields(JsonNode node, String prefix, Set<String> known) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name)) {
                error(prefix + name, "is not a known field");
            }
        }
    }

    private boolean objectOrAbsent(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isObject()) {
            error(path, "must be an object");
            return false;
        }
        return true;
    }

    private String requiredText(JsonNode node, String field) {
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

    private String optionalText(JsonNode node, String field, String path, int maxLength) {
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

    private Integer intInRange(JsonNode node, String field, String path, int min, int max) {
        Long value = longInRange(node, field, path, min, max);
        return value == null ? null : value.intValue();
    }

    private Long longInRange(JsonNode node, String field, String path, long min, long max) {
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

    private Double doubleInRange(JsonNode node, String field, String path, double min, double max) {
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

    private Instant instant(JsonNode node, String field) {
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

    private <E extends Enum<E>> E enumValue(JsonNode node, String field, Class<E> type) {
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

    private List<String> textList(JsonNode node, String field, String path, int maxItems) {
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

    private List<String> jobIdList(JsonNode node, String field) {
        List<String> ids = textList(node, field, field, MAX_DEPENDENCIES);
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

    /**
     * Nesting depth of {@code node} (a scalar is 0, {@code []} is 1), counted no further than {@code cap}. The same
     * walk notes a number too large for a double, so a valid payload is walked once; where it is is looked up only
     * then.
     */
    private int depth(JsonNode node, int cap) {
        if (node != null && (node.isDouble() || node.isFloat()) && !Double.isFinite(node.doubleValue())) {
            sawNonFiniteNumber = true;
        }
        if (node == null || !node.isContainerNode() || cap <= 0) {
            return 0;
        }
        int deepest = 0;
        for (JsonNode child : node) {
            deepest = Math.max(deepest, depth(child, cap - 1));
            if (deepest >= cap - 1) {
                break;
            }
        }
        return 1 + deepest;
    }

    /**
     * Where in {@code node} the first number that does not fit a double is, as a path suffix ({@code ""} for the node
     * itself, {@code ".a[2]"} below it), or null if none. The path is built only on the way back from a find.
     */
    private static String nonFiniteNumber(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isDouble() || node.isFloat()) {
            return Double.isFinite(node.doubleValue()) ? null : "";
        }
        if (node.isObject()) {
            for (var field : node.properties()) {
                String found = nonFiniteNumber(field.getValue());
                if (found != null) {
                    return "." + field.getKey() + found;
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String found = nonFiniteNumber(node.get(i));
                if (found != null) {
                    return "[" + i + "]" + found;
                }
            }
        }
        return null;
    }

    private void error(String field, String message) {
        errors.add(new FieldError(field, message));
    }
}
