package org.planetarymesh.store.market;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Where a purchase stands, and the one transition table of purchases: the store refuses any change whose predecessor
 * is not listed here, so a settled purchase can never be settled again.
 */
public enum PurchaseStatus {
    /** Paid into escrow; waiting for the seller. */
    CREATED,
    /** The seller accepted; its job is about to run. */
    ACCEPTED,
    /** The job runs on the seller's node. */
    DELIVERING,
    /** Delivered; escrow released to the seller minus the platform fee. */
    COMPLETED,
    /** Failed after acceptance; waiting for a refund, a retry or a re-negotiated price. */
    DISPUTED,
    /** The seller refused it; escrow refunded. */
    REJECTED,
    /** Not accepted in time; escrow refunded. */
    EXPIRED,
    /** A dispute resolved by giving the buyer its credits back. */
    REFUNDED;

    /** Statuses whose price is still held in escrow. */
    public static final Set<PurchaseStatus> OPEN = EnumSet.of(CREATED, ACCEPTED, DELIVERING, DISPUTED);

    /** The statuses a purchase may move to this one from (empty: only by being created). */
    public Set<PurchaseStatus> predecessors() {
        return switch (this) {
            case CREATED -> EnumSet.noneOf(PurchaseStatus.class);
            case ACCEPTED -> EnumSet.of(CREATED, DISPUTED); // DISPUTED -> ACCEPTED is a retry
            case DELIVERING -> EnumSet.of(ACCEPTED);
            case COMPLETED -> EnumSet.of(ACCEPTED, DELIVERING, DISPUTED); // from DISPUTED: re-negotiated
            case DISPUTED -> EnumSet.of(ACCEPTED, DELIVERING);
            case REJECTED, EXPIRED -> EnumSet.of(CREATED);
            case REFUNDED -> EnumSet.of(DISPUTED);
        };
    }

    /** Whether the price is still in escrow in this status. */
    public boolean open() {
        return OPEN.contains(this);
    }

    /** Lower-case name as used in the API. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a status name in any case; null if it is none. */
    public static PurchaseStatus parse(String value) {
        for (PurchaseStatus s : values()) {
            if (s.name().equalsIgnoreCase(value == null ? "" : value.strip())) {
                return s;
            }
        }
        return null;
    }
}
