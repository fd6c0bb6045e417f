package org.planetarymesh.coordinator.stats;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.planetarymesh.store.CommitObserver;

/**
 * How long the store takes to commit a group of writes and how many writes a group carries, recorded by the group
 * commit writer's thread once per transaction (not per job).
 */
public final class StoreCommits implements CommitObserver {

    private static final Duration[] LATENCY_BUCKETS = {
        Duration.ofNanos(250_000), Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
        Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5)
    };
    private static final double[] SIZE_BUCKETS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000};

    private final Timer latency;
    private final DistributionSummary size;

    public StoreCommits(MeterRegistry registry) {
        this.latency = Timer.builder("mesh.store.commit")
                .description("Time the store took to apply and commit one group of writes (one transaction)")
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry);
        this.size = DistributionSummary.builder("mesh.store.commit.writes")
                .description("Writes (job transitions, events, rows) carried by one group commit")
                .serviceLevelObjectives(SIZE_BUCKETS)
                .register(registry);
    }

    @Override
    public void committed(int writes, long nanos) {
        latency.record(nanos, TimeUnit.NANOSECONDS);
        size.record(writes);
    }

    /** Commit latencies so far. */
    public Timer latency() {
        return latency;
    }

    /** Writes per commit so far. */
    public DistributionSummary size() {
        return size;
    }
}
