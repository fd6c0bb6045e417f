package org.planetarymesh.coordinator.scheduler;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import org.planetarymesh.core.job.JobStatus;

/**
 * How many jobs are in each status, maintained as jobs move rather than counted with {@code COUNT(*)}: seeded once from
 * the store at start-up, then updated by the scheduler thread on every transition, and readable from any thread.
 */
public final class JobCounts {

    private final AtomicLongArray counts = new AtomicLongArray(JobStatus.values().length);
    private final java.util.concurrent.atomic.AtomicLong deleted = new java.util.concurrent.atomic.AtomicLong();

    void seed(Map<JobStatus, Long> stored) {
        stored.forEach((status, n) -> counts.set(status.ordinal(), n));
    }

    void moved(JobStatus from, JobStatus to) {
        if (from == to) {
            return;
        }
        if (from != null) {
            counts.decrementAndGet(from.ordinal());
        }
        counts.incrementAndGet(to.ordinal());
    }

    /** A job counted in {@code status} turned out never to have been stored. */
    void forgot(JobStatus status) {
        counts.decrementAndGet(status.ordinal());
    }

    /** Jobs in {@code status} now. */
    public long get(JobStatus status) {
        return counts.get(status.ordinal());
    }

    /** {@code n} finished jobs in {@code status} were deleted from the store (retention, DELETE). */
    void deleted(JobStatus status, long n) {
        counts.addAndGet(status.ordinal(), -n);
        deleted.addAndGet(n);
    }

    /** Finished jobs deleted since the coordinator started. */
    public long deletedTotal() {
        return deleted.get();
    }

    /** A snapshot, every status present. */
    public Map<JobStatus, Long> snapshot() {
        Map<JobStatus, Long> copy = new EnumMap<>(JobStatus.class);
        for (JobStatus status : JobStatus.values()) {
            copy.put(status, counts.get(status.ordinal()));
        }
        return copy;
    }
}
