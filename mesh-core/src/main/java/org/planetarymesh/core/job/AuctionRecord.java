package org.planetarymesh.core.job;

import java.util.List;

/**
 * How an auctioned job was placed: by a standing offer (no round of bids), by a round's best bid, or by a runner-up
 * of an earlier round after the winner did not take it; and every answer of every round, with its score or why it
 * lost or was disqualified. Part of the job's {@link Routing}, so {@code GET /v1/jobs/{id}} shows it.
 *
 * @param mode {@code standing_offer}, {@code bids}, {@code runner_up} or {@code none} (no acceptable bid)
 * @param selection the selection policy's wire name ({@link BidSelection})
 * @param rounds how many rounds were announced for this placement
 * @param maxPrice the job's price ceiling, if any
 * @param price the price agreed with the winner, if any
 * @param bids each node's answer, oldest round first
 * @param announcedAt when this placement's first round was announced (null without a round): with the routing's
 *     {@code decided_at}, how long the auction took
 */
public record AuctionRecord(
        String mode,
        String selection,
        int rounds,
        Long maxPrice,
        Long price,
        List<Bid> bids,
        java.time.Instant announcedAt) {

    public AuctionRecord {
        bids = bids == null ? List.of() : List.copyOf(bids);
    }

    /**
     * One node's answer in one round. {@code outcome} is {@code won}, {@code lost} (scored, beaten), {@code
     * disqualified}, {@code declined} or {@code no_answer}; {@code reason} says why for all but the winner.
     */
    public record Bid(
            String nodeId,
            int round,
            Long price,
            Long etaMs,
            Double reputation,
            Double score,
            String outcome,
            String reason) {}
}
