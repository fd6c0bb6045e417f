package org.planetarymesh.store.market;

/** The purchase transition a settlement commits together with its movement. */
public sealed interface Change {

    /** Stores a new purchase (status CREATED) and counts it as sold on its offering. */
    record Create(Purchase purchase) implements Change {}

    /**
     * Moves a purchase to {@code to} if its status is one of {@code to}'s predecessors. Non-null fields are written;
     * {@code nextAttempt} starts another run; {@code latencyMs} is added to the offering's statistics on completion.
     */
    record Transition(
            String purchaseId,
            PurchaseStatus to,
            String jobId,
            String result,
            String error,
            boolean nextAttempt,
            Long acceptedAt,
            long latencyMs)
            implements Change {

        /** A plain move with nothing else written. */
        public static Transition to(String purchaseId, PurchaseStatus to) {
            return new Transition(purchaseId, to, null, null, null, false, null, 0);
        }
    }
}
