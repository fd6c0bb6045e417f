package org.planetarymesh.core.job;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Why a job was placed where it was, and where else it could have gone: every candidate considered, the
 * filter that rejected it or its score, the winner and the runners-up.
 *
 * <p>{@code reason}, when a policy gives one, says in words why the winner won where the scores alone would not tell
 * (the inference placer: "model tiny is loaded on node a; b has it cold").
 *
 * <p>{@code route}, when the router decided, says which kind of target runs the job (local, fleet, peer), why, and
 * the alternative routes it did not take.
 *
 * <p>A placement lists the scored candidates best first, so the winner is the first scored candidate and the
 * runners-up are the other scored ones. A null {@code winner} or {@code runnersUp} is read as exactly that: the store
 * leaves both out of a job's document when they say no more than the candidates do (with four nodes, ~260 of a
 * completed job's ~1,370 bytes, rewritten on every transition).
 */
public record Routing(
        String policy,
        String winner,
        List<Candidate> candidates,
        List<String> runnersUp,
        Instant decidedAt,
        AuctionRecord auction,
        String reason,
        RouteDecision route) {

    /** A routing record without the router's decision (placement alone). */
    public Routing(
            String policy,
            String winner,
            List<Candidate> candidates,
            List<String> runnersUp,
            Instant decidedAt,
            AuctionRecord auction,
            String reason) {
        this(policy, winner, candidates, runnersUp, decidedAt, auction, reason, null);
    }

    /** This record with the router's decision {@code value}. */
    public Routing withRoute(RouteDecision value) {
        return new Routing(policy, winner, candidates, runnersUp, decidedAt, auction, reason, value);
    }

    /** A routing record of a policy that is not an auction, with no {@link #reason} in words. */
    public Routing(
            String policy, String winner, List<Candidate> candidates, List<String> runnersUp, Instant decidedAt) {
        this(policy, winner, candidates, runnersUp, decidedAt, null, null);
    }

    /** An auction's routing record: its rounds and bids say why. */
    public Routing(
            String policy,
            String winner,
            List<Candidate> candidates,
            List<String> runnersUp,
            Instant decidedAt,
            AuctionRecord auction) {
        this(policy, winner, candidates, runnersUp, decidedAt, auction, null);
    }

    /** A placement that says in words why its winner won (see {@link #reason}). */
    public Routing(
            String policy,
            String winner,
            List<Candidate> candidates,
            List<String> runnersUp,
            Instant decidedAt,
            String reason) {
        this(policy, winner, candidates, runnersUp, decidedAt, null, reason);
    }

    public Routing {
        candidates = candidates == null ? List.of() : List.copyOf(candidates);
        if (winner == null) {
            winner = impliedWinner(candidates);
        }
        runnersUp = runnersUp == null ? impliedRunnersUp(candidates) : List.copyOf(runnersUp);
    }

    /** Whether {@link #winner} is what the candidates imply, so a reader given none restores it. */
    public boolean winnerImplied() {
        return Objects.equals(winner, impliedWinner(candidates));
    }

    /** Whether {@link #runnersUp} is what the candidates imply, so a reader given none restores it. */
    public boolean runnersUpImplied() {
        return runnersUp.equals(impliedRunnersUp(candidates));
    }

    private static String impliedWinner(List<Candidate> candidates) {
        List<String> scored = scored(candidates);
        return scored.isEmpty() ? null : scored.getFirst();
    }

    private static List<String> impliedRunnersUp(List<Candidate> candidates) {
        List<String> scored = scored(candidates);
        return scored.isEmpty() ? List.of() : scored.subList(1, scored.size());
    }

    /** The ids of the scored (eligible) candidates, in the placement's order: best first. */
    private static List<String> scored(List<Candidate> candidates) {
        return candidates.stream()
                .filter(c -> c.score() != null)
                .map(Candidate::nodeId)
                .toList();
    }

    /** One node as the policy saw it: a score if eligible, else the reason it was filtered out. */
    public record Candidate(String nodeId, Double score, String rejectedBy) {}
}
