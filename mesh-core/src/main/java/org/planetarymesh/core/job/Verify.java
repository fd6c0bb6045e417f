package org.planetarymesh.core.job;

import java.util.Set;

/**
 * A job's {@code verify} section: run it on {@code replicas} distinct nodes and accept a result only when {@code
 * quorum} of them produced the same output (the same output CID: every chunk and the result). Only deterministic
 * types may ask for it ({@link #TYPES}): for any other the replicas would disagree by nature.
 */
public record Verify(int replicas, int quorum) {

    /** The job types whose output depends only on the spec: the same payload gives the same output on every node. */
    public static final Set<String> TYPES = Set.of("wasm", "echo");

    /** Fewest replicas: one replica verifies nothing. */
    public static final int MIN_REPLICAS = 2;

    /** Most replicas: each is a whole run of the job, and meshes that verify are small. */
    public static final int MAX_REPLICAS = 7;

    public Verify {
        if (replicas < MIN_REPLICAS || replicas > MAX_REPLICAS || quorum < 1 || quorum > replicas) {
            throw new IllegalArgumentException(
                    "verify needs 2 <= replicas <= 7 and 1 <= quorum <= replicas: " + replicas + "/" + quorum);
        }
    }
}
