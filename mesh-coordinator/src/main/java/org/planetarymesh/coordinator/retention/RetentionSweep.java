package org.planetarymesh.coordinator.retention;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.store.FinishedJobs;
import org.planetarymesh.store.FinishedJobs.Range;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes finished jobs past the {@link RetentionPolicy} on a thread of its own: each batch is found on a reader
 * connection as a range of ids and deleted by a few range statements through the group commit, which commits it between the scheduler's
 * groups; the next batch waits for that commit, so a backlog of old jobs drains at the store's pace and never takes
 * the scheduler thread or the writer's connection for long.
 */
public final class RetentionSweep implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionSweep.class);
    // A sweep stops after this many batches and sleeps its interval, so a huge backlog is spread over time.
    private static final int MAX_BATCHES_PER_SWEEP = 20;
    private static final long COMMIT_WAIT_SECONDS = 60;
    private static final int IN_FLIGHT = 4;

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
            boolean behind = false;
            try {
                behind = sweep();
            } catch (RuntimeException e) {
                LOG.warn(
                        "retention sweep failed; trying again in {} ms: {}",
                        policy.interval().toMillis(),
                        e.toString());
            } catch (InterruptedException e) {
                return;
            }
            if (behind) {
                continue; // a backlog of old jobs: the next sweep at once (each waits for its commits)
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

    /** One sweep: per group of statuses, the jobs over the count limit, then those over the age limit. */
    /** Returns whether it stopped at its budget with jobs left to delete. */
    boolean sweep() throws InterruptedException {
        Budget budget = new Budget();
        sweep(RetentionPolicy.COMPLETED, policy.completedMaxCount(), policy.completedMaxAge(), budget);
        sweep(RetentionPolicy.UNSUCCESSFUL, policy.failedMaxCount(), policy.failedMaxAge(), budget);
        budget.awaitAll();
        return !budget.left();
    }

    private void sweep(Set<JobStatus> statuses, int maxCount, Duration maxAge, Budget budget)
            throws InterruptedException {
        FinishedJobs finished = deletion.finished();
        if (maxCount > 0) {
            Optional<String> through = finished.newestBeyond(statuses, maxCount);
            if (through.isPresent()) {
                sweep(statuses, through.get(), null, budget);
            }
        }
        if (!maxAge.isZero()) {
            sweep(statuses, null, clock.instant().minus(maxAge), budget);
        }
    }

    /** Deletes range after range of the jobs up to {@code through} or last changed before {@code cutoff}. */
    private void sweep(Set<JobStatus> statuses, String through, Instant cutoff, Budget budget)
            throws InterruptedException {
        String after = null;
        while (budget.left()) {
            Optional<Range> range = deletion.finished().nextRange(statuses, after, through, cutoff, policy.batch());
            if (range.isEmpty()) {
                return;
            }
            budget.delete(range.get());
            after = range.get().through();
        }
    }

    /**
     * The batches of one sweep: at most {@link #MAX_BATCHES_PER_SWEEP}, and at most {@link #IN_FLIGHT} waiting for
     * their commit at a time, so the next batch is found while the last one commits but deletions never pile up in the
     * writer's queue.
     */
    private final class Budget {
        private final Deque<CompletableFuture<Long>> inFlight = new ArrayDeque<>();
        private int batches;

        boolean left() {
            return !closed && batches < MAX_BATCHES_PER_SWEEP;
        }

        void delete(Range range) throws InterruptedException {
            batches++;
            if (inFlight.size() >= IN_FLIGHT) {
                awaitOldest();
            }
            inFlight.add(deletion.delete(range));
        }

        void awaitAll() throws InterruptedException {
            while (!inFlight.isEmpty()) {
                awaitOldest();
            }
        }

        private void awaitOldest() throws InterruptedException {
            try {
                deleted.addAndGet(inFlight.removeFirst().get(COMMIT_WAIT_SECONDS, TimeUnit.SECONDS));
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("deleting finished jobs failed: " + e, e);
            }
        }
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
