package org.planetarymesh.core.job;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How the scheduler chooses a node for a job. */
public enum PlacementPolicy {
    /** The simplest policy: the first healthy node with room. */
    FIRST_HEALTHY("first-healthy"),
    /** The default: the eligible node with the most free capacity. */
    LEAST_LOADED("least-loaded"),
    /**
     * The eligible node with the least free capacity that still has room: fills nodes before opening new ones (Nomad's
     * default). Fewer nodes busy, and on a large mesh of short jobs more of them per frame.
     */
    BIN_PACK("bin-pack"),
    /** Announce the job, collect bids, pick a winner. */
    AUCTION("auction");

    private final String wireName;

    PlacementPolicy(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** Parses a wire name such as {@code least-loaded}. */
    public static Optional<PlacementPolicy> fromWire(String name) {
        return Arrays.stream(values())
                .filter(p -> p.wireName.equals(name.toLowerCase(Locale.ROOT)))
                .findFirst();
    }

    @JsonCreator
    static PlacementPolicy fromJson(String name) {
        return fromWire(name).orElseThrow(() -> new IllegalArgumentException("unknown placement policy " + name));
    }
}
