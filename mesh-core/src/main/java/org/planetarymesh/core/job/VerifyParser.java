package org.planetarymesh.core.job;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import java.util.TreeSet;

/** Reads a spec's {@code verify} section: {@code replicas} and {@code quorum}, both required, for deterministic types. */
final class VerifyParser {

    private static final Set<String> FIELDS = Set.of("replicas", "quorum");

    private VerifyParser() {}

    /** The verify section in {@code node}, or null when absent or unusable (problems go to {@code fields}). */
    static Verify parse(JsonNode node, String type, SpecFields fields) {
        if (node == null || node.isNull() || !fields.objectOrAbsent(node, "verify")) {
            return null;
        }
        fields.unknownFields(node, "verify.", FIELDS);
        if (type != null && Verify.NON_DETERMINISTIC.contains(type)) {
            fields.error(
                    "verify",
                    "only deterministic job types can be verified by replicas ("
                            + String.join(", ", new TreeSet<>(Verify.TYPES))
                            + ", or an executor plugin's type); '" + type
                            + "' gives different outputs on different nodes by nature");
        }
        Integer replicas = required(node, "replicas", Verify.MIN_REPLICAS, Verify.MAX_REPLICAS, fields);
        Integer quorum = required(node, "quorum", 1, Verify.MAX_REPLICAS, fields);
        if (replicas == null || quorum == null) {
            return null;
        }
        if (quorum > replicas) {
            fields.error(
                    "verify.quorum",
                    "must be at most verify.replicas (" + replicas + "): " + quorum + " of " + replicas
                            + " replicas can never agree");
            return null;
        }
        return new Verify(replicas, quorum);
    }

    private static Integer required(JsonNode node, String field, int min, int max, SpecFields fields) {
        if (!node.hasNonNull(field)) {
            fields.error("verify." + field, "is required (an integer between " + min + " and " + max + ")");
            return null;
        }
        return fields.intInRange(node, field, "verify." + field, min, max);
    }
}
