package org.planetarymesh.store.market;

/**
 * A paid job: {@code price} credits held in escrow from {@code buyer} until the purchase is completed (the seller gets
 * {@code price - fee}) or refunded. {@code attempt} counts runs (a dispute's retry runs again); {@code jobId} is the
 * mesh job of the current run.
 */
public record Purchase(
        String id,
        String offeringId,
        String buyer,
        String seller,
        long price,
        long fee,
        PurchaseStatus status,
        String payload,
        int attempt,
        String jobId,
        String result,
        String error,
        long createdAt,
        long updatedAt,
        long acceptBy,
        Long acceptedAt) {}
