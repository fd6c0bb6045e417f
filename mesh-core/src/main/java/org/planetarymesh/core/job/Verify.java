package org.planetarymesh.core.job;

import java.util.Set;

/**
 * A job's {@code verify} section: run it on {@code replicas} distinct nodes and accept a result only when {@code
 * quorum} of them produced the same output (the same output CID: every chunk and the result). Only deterministic
 * types may ask for it: the built-ins {@code wasm} and {@code echo} ({@link #TYPES}), and executor plugins' types,
 * which the submitter vouches for (the coordinator cannot see what a plugin does). The built-ins whose output depends
 * on the node or the outside world ({@link #NON_DETERMINISTIC}) are refused: their replicas would disagree by nature.
 */
public record Verify(int replicas, int quorum) {

    /** The built-in types whose output depends only on the spec: the same payload gives the same output everywhere. */
    public static final Set<String> TYPES = Set.of("wasm", "echo");

    /** The built-in types whose output depends on the node or the outside world, which verify refuses. */
    public static final Set<String> NON_DETERMINISTIC = Set.of("shell", "http", "inference", "sleep");

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
