package org.planetarymesh.coordinator.retention;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.planetarymesh.store.FinishedJobs.Finished;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes finished jobs past the {@link RetentionPolicy} on a thread of its own: each batch is found on a reader
 * connection and deleted as one group of writes through the group commit, which commits it between the scheduler's
 * groups; the next batch waits for that commit, so a backlog of old jobs drains at the store's pace and never takes
 * the scheduler thread or the writer's connection for long.
 */
public final class RetentionSweep implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionSweep.class);
    // A sweep stops after this many batches and sleeps its interval, so a huge backlog is spread over time.
    private static final int MAX_BATCHES_PER_SWEEP = 20;
    private static final long COMMIT_WAIT_SECONDS = 60;

    private final RetentionPolicy policy;
    private final JobDeletion deletion;
    private final InstantSource clock;
    private final Thread thread;
    private final AtomicLong deleted = new AtomicLong();
    private final Object wake = new Object();
    private volatile boolean closed;

    public RetentionSweep(RetentionPolicy policy, JobDeletion deletion, InstantSource clock) {
        this.policy = policy;
        this.deletion = deletion;
        this.clock = clock;
        this.thread = Thread.ofPlatform().name("mesh-retention").daemon().unstarted(this::run);
    }

    /** Starts sweeping, unless the policy keeps everything. */
    public void start() {
        if (policy.enabled()) {
            thread.start();
        }
    }

    /** Jobs this sweep deleted so far. */
    public long deleted() {
        return deleted.get();
    }

    private void run() {
        while (!closed) {
            try {
                sweep();
            } catch (RuntimeException e) {
                LOG.warn(
                        "retention sweep failed; trying again in {} ms: {}",
                        policy.interval().toMillis(),
                        e.toString());
            } catch (InterruptedException e) {
                return;
            }
            synchronized (wake) {
                if (closed) {
                    return;
                }
                try {
                    wake.wait(policy.interval().toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** One sweep: per group of statuses, batches over the count limit, then batches over the age limit. */
    void sweep() throws InterruptedException {
        int batches = 0;
        batches += sweep(RetentionPolicy.COMPLETED, policy.completedMaxCount(), policy.completedMaxAge(), batches);
        sweep(RetentionPolicy.UNSUCCESSFUL, policy.failedMaxCount(), policy.failedMaxAge(), batches);
    }

    private int sweep(Set<org.planetarymesh.core.job.JobStatus> statuses, int maxCount, Duration maxAge, int done)
            throws InterruptedException {
        int batches = 0;
        while (!closed && done + batches < MAX_BATCHES_PER_SWEEP) {
            List<Finished> batch =
                    maxCount > 0 ? deletion.finished().beyondNewest(statuses, maxCount, policy.batch()) : List.of();
            if (batch.isEmpty() && !maxAge.isZero()) {
                Instant cutoff = clock.instant().minus(maxAge);
                batch = deletion.finished().olderThan(statuses, cutoff, policy.batch());
            }
            if (batch.isEmpty()) {
                break;
            }
            batches++;
            try {
                deleted.addAndGet(deletion.delete(batch)
                        .get(COMMIT_WAIT_SECONDS, TimeUnit.SECONDS)
                        .size());
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("deleting " + batch.size() + " finished jobs failed: " + e, e);
            }
            if (batch.size() < policy.batch()) {
                break;
            }
        }
        return batches;
    }

    @Override
    public void close() {
        closed = true;
        synchronized (wake) {
            wake.notifyAll();
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
