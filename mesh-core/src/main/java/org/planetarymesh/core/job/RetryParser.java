package org.planetarymesh.core.job;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/** Reads a spec's {@code retry} section: attempts and backoff, each field missing taking its default. */
final class RetryParser {

    private static final Set<String> RETRY_FIELDS = Set.of("max_attempts", "backoff");
    private static final Set<String> BACKOFF_FIELDS = Set.of("initial_ms", "multiplier", "max_ms", "jitter");

    private RetryParser() {}

    /** The retry policy in {@code node}, or null when absent or unusable (problems go to {@code fields}). */
    static RetryPolicy parse(JsonNode node, SpecFields fields) {
        if (!fields.objectOrAbsent(node, "retry")) {
            return null;
        }
        fields.unknownFields(node, "retry.", RETRY_FIELDS);
        Integer max = fields.intInRange(node, "max_attempts", "retry.max_attempts", 1, 100);
        Backoff backoff = backoff(node.get("backoff"), fields);
        return new RetryPolicy(max == null ? RetryPolicy.DEFAULT.maxAttempts() : max, backoff);
    }

    private static Backoff backoff(JsonNode node, SpecFields fields) {
        if (!fields.objectOrAbsent(node, "retry.backoff")) {
            return null;
        }
        fields.unknownFields(node, "retry.backoff.", BACKOFF_FIELDS);
        Backoff d = Backoff.DEFAULT;
        Long initial = fields.longInRange(node, "initial_ms", "retry.backoff.initial_ms", 0, 86_400_000);
        Double multiplier = fields.doubleInRange(node, "multiplier", "retry.backoff.multiplier", 1, 10);
        Long max = fields.longInRange(node, "max_ms", "retry.backoff.max_ms", 0, 86_400_000);
        Double jitter = fields.doubleInRange(node, "jitter", "retry.backoff.jitter", 0, 1);
        return new Backoff(
                initial == null ? d.initialMs() : initial,
                multiplier == null ? d.multiplier() : multiplier,
                max == null ? d.maxMs() : max,
                jitter == null ? d.jitter() : jitter);
    }
}
