package org.planetarymesh.core.job;

/** The placement policy a job asked for, with the auction's window and price ceiling when it is an auction. */
public record Placement(PlacementPolicy policy, Long windowMs, Long maxPrice) {
    public static final Placement DEFAULT = new Placement(PlacementPolicy.LEAST_LOADED, null, null);

    public Placement {
        policy = policy == null ? PlacementPolicy.LEAST_LOADED : policy;
    }
}
