package org.planetarymesh.core.job;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Checks a spec's {@code payload} can be stored and read back: no deeper than {@link JobSpecParser#MAX_PAYLOAD_DEPTH},
 * and no number a double cannot hold.
 */
final class PayloadCheck {

    private boolean sawNonFiniteNumber;

    private PayloadCheck() {}

    /** Records in {@code fields} what is wrong with {@code payload}, if anything. */
    static void check(JsonNode payload, SpecFields fields) {
        PayloadCheck walk = new PayloadCheck();
        int max = JobSpecParser.MAX_PAYLOAD_DEPTH;
        if (walk.depth(payload, max + 1) > max) {
            fields.error("payload", "nests deeper than " + max + " levels");
        } else if (walk.sawNonFiniteNumber) {
            // JSON allows it, but as a double it becomes Infinity, which the job would hand on as "Infinity".
            fields.error(
                    "payload" + nonFiniteNumber(payload),
                    "is a number beyond the range of a 64-bit float (about ±1.8e308); send it as a string");
        }
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
}
