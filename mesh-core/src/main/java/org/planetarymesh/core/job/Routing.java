package org.planetarymesh.core.job;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Why a job was placed where it was (seed 003's reasoning and alternative routes): every candidate considered, the
 * filter that rejected it or its score, the winner and the runners-up.
 *
 * <p>A placement lists the scored candidates best first, so the winner is the first scored candidate and the
 * runners-up are the other scored ones. A null {@code winner} or {@code runnersUp} is read as exactly that: the store
 * leaves both out of a job's document when they say no more than the candidates do (with four nodes, ~260 of a
 * completed job's ~1,370 bytes, rewritten on every transition).
 */
public record Routing(
        String policy, String winner, List<Candidate> candidates, List<String> runnersUp, Instant decidedAt) {

    public Routing {
        candidates = candidates == null ? List.of() : List.copyOf(candidates);
        if (winner == null) {
            winner = impliedWinner(candidates);
        }
        runnersUp = runnersUp == null ? impliedRunnersUp(candidates) : List.copyOf(runnersUp);
    }

    /** Whether {@link #winner} is what the candidates imply, so a reader given none restores it. */
    public boolean winnerImplied() {
        return winner == null || winner.equals(impliedWinner(candidates));
    }

    /** Whether {@link #runnersUp} is what the candidates imply, so a reader given none restores it. */
    public boolean runnersUpImplied() {
        return runnersUp.equals(impliedRunnersUp(candidates));
    }

    private static String impliedWinner(List<Candidate> candidates) {
        for (Candidate c : candidates) {
            if (c.score() != null) {
                return c.nodeId();
            }
        }
        return null;
    }

    private static List<String> impliedRunnersUp(List<Candidate> candidates) {
        List<String> scored = new ArrayList<>();
        for (Candidate c : candidates) {
            if (c.score() != null) {
                scored.add(c.nodeId());
            }
        }
        return scored.isEmpty() ? List.of() : List.copyOf(scored.subList(1, scored.size()));
    }

    /** One node as the policy saw it: a score if eligible, else the reason it was filtered out. */
    public record Candidate(String nodeId, Double score, String rejectedBy) {}
}
