package org.planetarymesh.agent.link;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Reconnect delays: exponential from 100 ms, capped, with jitter (a random delay in the upper half) so a fleet does not reconnect in step. */
public record Backoff(Duration initial, Duration max) {

    /** The delay before reconnect attempt {@code attempt} (0-based): random in [d/2, d], d = min(max, initial·2^n). */
    public Duration delay(int attempt) {
        long ceiling = Math.min(max.toMillis(), initial.toMillis() << Math.min(attempt, 20));
        long half = Math.max(1, ceiling / 2);
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(ceiling - half + 1));
    }
}
