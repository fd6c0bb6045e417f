package org.planetarymesh.cli;

import java.time.Duration;
import java.time.Instant;

/** How values are shortened to fit a table cell. */
final class Cells {

    private static final int NODE_WIDTH = 24;

    private Cells() {}

    /** A did:key is ~56 characters; its head and tail are enough to tell nodes apart in a table. */
    static String node(String id) {
        if (id == null || id.length() <= NODE_WIDTH) {
            return id;
        }
        return id.substring(0, NODE_WIDTH - 7) + "…" + id.substring(id.length() - 6);
    }

    /** Time since {@code at}, e.g. {@code 12s}; null if unknown. */
    static String age(Instant at, Instant now) {
        return at == null ? null : Durations.format(Duration.between(at, now));
    }
}
