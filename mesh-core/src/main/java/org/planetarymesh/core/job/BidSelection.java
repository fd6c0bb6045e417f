package org.planetarymesh.core.job;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How an auction picks among the acceptable bids: {@code placement.selection} of a job spec. */
public enum BidSelection {
    /** The cheapest bid; ties go to the sooner start, then the better reputation. */
    LOWEST_PRICE("lowest_price"),
    /** The bid that starts soonest (smallest eta); ties go to the cheaper one. */
    FASTEST("fastest"),
    /** The best weighted mix of price, eta and reputation (weights are coordinator settings). */
    BEST_VALUE("best_value");

    private final String wireName;

    BidSelection(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** Parses a wire name such as {@code lowest_price}. */
    public static Optional<BidSelection> fromWire(String name) {
        return Arrays.stream(values())
                .filter(p -> p.wireName.equals(name.toLowerCase(Locale.ROOT)))
                .findFirst();
    }

    @JsonCreator
    static BidSelection fromJson(String name) {
        return fromWire(name).orElseThrow(() -> new IllegalArgumentException("unknown bid selection " + name));
    }
}
