package org.planetarymesh.core.job;

import java.time.Instant;
import java.util.List;

/**
 * Why a job was placed where it was (seed 003's reasoning and alternative routes): every candidate considered, the
 * filter that rejected it or its score, the winner and the runners-up.
 */
public record Routing(
        String policy, String winner, List<Candidate> candidates, List<String> runnersUp, Instant decidedAt) {

    public Routing {
        candidates = candidates == null ? List.of() : List.copyOf(candidates);
        runnersUp = runnersUp == null ? List.of() : List.copyOf(runnersUp);
    }

    /** One node as the policy saw it: a score if eligible, else the reason it was filtered out. */
    public record Candidate(String nodeId, Double score, String rejectedBy) {}
}
