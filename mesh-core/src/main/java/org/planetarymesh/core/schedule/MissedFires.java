package org.planetarymesh.core.schedule;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

/**
 * What a schedule does about the fires it missed while no coordinator ran it: {@link #RUN_ONCE} (the default) makes
 * one job for them all, {@link #SKIP} makes none; either way it goes on at its next time.
 */
public enum MissedFires {
    SKIP,
    RUN_ONCE;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The policy named {@code value} ({@code skip}, {@code run_once}), if it is one. */
    public static Optional<MissedFires> fromWire(String value) {
        for (MissedFires policy : values()) {
            if (policy.wireName().equals(value)) {
                return Optional.of(policy);
            }
        }
        return Optional.empty();
    }

    @JsonCreator
    static MissedFires parse(String value) {
        return fromWire(value).orElseThrow(() -> new IllegalArgumentException("unknown missed-fire policy " + value));
    }
}
