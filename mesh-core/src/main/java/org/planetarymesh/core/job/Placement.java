package org.planetarymesh.core.job;

/**
 * The placement policy a job asked for, with the auction's window, price ceiling and bid selection when it is an
 * auction ({@code selection} null: the coordinator's default, lowest price).
 */
public record Placement(PlacementPolicy policy, Long windowMs, Long maxPrice, BidSelection selection) {
    public static final Placement DEFAULT = new Placement(PlacementPolicy.LEAST_LOADED, null, null);

    public Placement {
        policy = policy == null ? PlacementPolicy.LEAST_LOADED : policy;
    }

    /** A placement without a bid selection. */
    public Placement(PlacementPolicy policy, Long windowMs, Long maxPrice) {
        this(policy, windowMs, maxPrice, null);
    }
}
