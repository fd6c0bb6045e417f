package org.planetarymesh.core.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Exponential backoff between attempts: growth from the first retry, the cap, and the jitter band around it. */
class BackoffTest {

    private static final Backoff NO_JITTER = new Backoff(500, 2.0, 10_000, 0);

    @ParameterizedTest(name = "attempt {0} waits {1} ms")
    @CsvSource({
        "1, 500", // not a retry: no less than the initial delay
        "2, 500", // first retry waits the initial delay
        "3, 1000",
        "4, 2000",
        "5, 4000",
        "6, 8000",
        "7, 10000", // 16000 capped at max_ms
        "8, 10000",
        "100, 10000", // huge exponents stay at the cap rather than overflowing
    })
    void delaysGrowByTheMultiplierUntilTheCap(int nextAttempt, long expectedMs) {
        assertThat(NO_JITTER.delayMs(nextAttempt, new Random(1))).isEqualTo(expectedMs);
    }

    @ParameterizedTest(name = "attempt {0}: {1}..{2} ms")
    @CsvSource({"2, 400, 600", "3, 800, 1200", "5, 3200, 4800", "9, 8000, 12000"})
    void jitterStaysWithinItsFractionOfTheDelay(int nextAttempt, long lowMs, long highMs) {
        Backoff backoff = new Backoff(500, 2.0, 10_000, 0.2);
        Random random = new Random(42);
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < 10_000; i++) {
            long delay = backoff.delayMs(nextAttempt, random);
            assertThat(delay).isBetween(lowMs, highMs);
            min = Math.min(min, delay);
            max = Math.max(max, delay);
        }
        long width = highMs - lowMs;
        // jitter really spreads the delays over the whole band rather than always returning the midpoint
        assertThat(min).isLessThan(lowMs + width / 10);
        assertThat(max).isGreaterThan(highMs - width / 10);
    }

    @ParameterizedTest
    @CsvSource({"2", "4", "7"})
    void theSameSeedGivesTheSameDelay(int nextAttempt) {
        assertThat(Backoff.DEFAULT.delayMs(nextAttempt, new Random(7)))
                .isEqualTo(Backoff.DEFAULT.delayMs(nextAttempt, new Random(7)));
    }

    @ParameterizedTest
    @CsvSource({"2", "3", "30"})
    void fullJitterNeverGoesNegative(int nextAttempt) {
        Backoff full = new Backoff(100, 3.0, 1_000, 1.0);
        Random random = new Random(3);
        for (int i = 0; i < 1_000; i++) {
            assertThat(full.delayMs(nextAttempt, random)).isBetween(0L, 2_000L);
        }
    }
}
