package org.planetarymesh.core.job;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Set;

/** Reads a spec's {@code placement} section: a policy name, or an object with policy, window and price cap. */
final class PlacementParser {

    private static final String POLICY_NAMES = String.join(
            ", ",
            Arrays.stream(PlacementPolicy.values())
                    .map(PlacementPolicy::wireName)
                    .toList());
    private static final Set<String> PLACEMENT_FIELDS = Set.of("policy", "window_ms", "max_price", "selection");

    private PlacementParser() {}

    /** The placement in {@code node}, or null when absent or unusable (problems go to {@code fields}). */
    static Placement parse(JsonNode node, SpecFields fields) {
        if (node != null && node.isTextual()) { // shorthand: "placement": "first-healthy"
            return new Placement(policy(node, "placement", fields), null, null);
        }
        if (node != null && !node.isNull() && !node.isObject()) {
            fields.error("placement", "must be a policy name (" + POLICY_NAMES + ") or an object");
            return null;
        }
        if (!fields.objectOrAbsent(node, "placement")) {
            return null;
        }
        fields.unknownFields(node, "placement.", PLACEMENT_FIELDS);
        PlacementPolicy policy = node.has("policy") ? policy(node.get("policy"), "placement.policy", fields) : null;
        Long window = fields.longInRange(node, "window_ms", "placement.window_ms", 1, 600_000);
        Long maxPrice = fields.longInRange(node, "max_price", "placement.max_price", 0, Long.MAX_VALUE);
        BidSelection selection = node.has("selection") ? selection(node.get("selection"), fields) : null;
        return new Placement(policy, window, maxPrice, selection);
    }

    private static BidSelection selection(JsonNode node, SpecFields fields) {
        String names = String.join(
                ", ",
                Arrays.stream(BidSelection.values()).map(BidSelection::wireName).toList());
        if (!node.isTextual()) {
            fields.error("placement.selection", "must be a string: " + names);
            return null;
        }
        var selection = BidSelection.fromWire(node.asText());
        if (selection.isEmpty()) {
            fields.error("placement.selection", "must be one of " + names + " (got '" + node.asText() + "')");
        }
        return selection.orElse(null);
    }

    private static PlacementPolicy policy(JsonNode node, String path, SpecFields fields) {
        if (!node.isTextual()) {
            fields.error(path, "must be a string: " + POLICY_NAMES);
            return null;
        }
        var policy = PlacementPolicy.fromWire(node.asText());
        if (policy.isEmpty()) {
            fields.error(path, "must be one of " + POLICY_NAMES + " (got '" + node.asText() + "')");
        }
        return policy.orElse(null);
    }
}
