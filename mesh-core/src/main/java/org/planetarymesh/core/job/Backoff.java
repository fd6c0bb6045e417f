package org.planetarymesh.core.job;

import java.util.random.RandomGenerator;

/** Exponential backoff between attempts, with jitter as a fraction of the delay (0.2 = ±20%). */
public record Backoff(long initialMs, double multiplier, long maxMs, double jitter) {
    public static final Backoff DEFAULT = new Backoff(500, 2.0, 60_000, 0.2);

    /** The delay before attempt {@code nextAttempt} (2 is the first retry). */
    public long delayMs(int nextAttempt, RandomGenerator random) {
        double base = initialMs * Math.pow(multiplier, Math.max(0, nextAttempt - 2));
        double capped = Math.min(base, maxMs);
        double spread = capped * jitter;
        double withJitter = capped + (spread == 0 ? 0 : random.nextDouble(-spread, spread));
        return Math.max(0, Math.round(withJitter));
    }
}
