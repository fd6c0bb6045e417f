package org.planetarymesh.core.job;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads a spec's {@code requirements} section: capabilities, resources, labels and model. */
final class RequirementsParser {

    private static final Set<String> REQUIREMENT_FIELDS =
            Set.of("capabilities", "resources", "labels", "model", "min_reputation");
    private static final Set<String> RESOURCE_FIELDS = Set.of("cpu", "memory_mb", "gpus");

    private RequirementsParser() {}

    /** The requirements in {@code node}, or null when absent or unusable (problems go to {@code fields}). */
    static Requirements parse(JsonNode node, SpecFields fields) {
        if (!fields.objectOrAbsent(node, "requirements")) {
            return null;
        }
        fields.unknownFields(node, "requirements.", REQUIREMENT_FIELDS);
        List<String> capabilities = fields.textList(node, "capabilities", "requirements.capabilities", 64);
        Resources resources = resources(node.get("resources"), fields);
        Map<String, String> labels = labels(node.get("labels"), fields);
        String model = fields.optionalText(node, "model", "requirements.model", 256);
        Double minReputation = fields.doubleInRange(node, "min_reputation", "requirements.min_reputation", 0, 1);
        return new Requirements(capabilities, resources, labels, model, minReputation);
    }

    private static Resources resources(JsonNode node, SpecFields fields) {
        if (!fields.objectOrAbsent(node, "requirements.resources")) {
            return null;
        }
        fields.unknownFields(node, "requirements.resources.", RESOURCE_FIELDS);
        Double cpu = fields.doubleInRange(node, "cpu", "requirements.resources.cpu", 0, 100_000);
        Long memory = fields.longInRange(node, "memory_mb", "requirements.resources.memory_mb", 0, 1L << 40);
        Integer gpus = fields.intInRange(node, "gpus", "requirements.resources.gpus", 0, 1_024);
        return new Resources(cpu == null ? 0 : cpu, memory == null ? 0 : memory, gpus == null ? 0 : gpus);
    }

    private static Map<String, String> labels(JsonNode node, SpecFields fields) {
        String path = "requirements.labels";
        if (!fields.objectOrAbsent(node, path)) {
            return null;
        }
        Map<String, String> labels = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            var entry = it.next();
            if (!entry.getValue().isTextual()) {
                fields.error(path + "." + entry.getKey(), "must be a string");
            } else {
                labels.put(entry.getKey(), entry.getValue().asText());
            }
        }
        return labels;
    }
}
