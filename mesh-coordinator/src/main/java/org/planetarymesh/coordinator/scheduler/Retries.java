package org.planetarymesh.coordinator.scheduler;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.store.JobStore;

/**
 * A user's retry of a finished job (docs/adr/0065): a FAILED, TIMED_OUT or CANCELLED job goes back to QUEUED as a new
 * attempt of the same job, keeping its id, its attempt history and its event log; its attempt number continues, so a
 * late report of an earlier attempt stays fenced off. Lives on the scheduler thread.
 */
final class Retries {

    private final JobTable jobs;
    private final ReadyQueue ready;
    private final WriteBehind writes;
    private final TimerQueue timers;
    private final JobStore store;
    private final SchedulerClock clock;
    private final Consumer<Runnable> onSchedulerThread;

    private final Replicas replicas;

    Retries(
            JobTable jobs,
            ReadyQueue ready,
            WriteBehind writes,
            TimerQueue timers,
            JobStore store,
            SchedulerClock clock,
            Consumer<Runnable> onSchedulerThread,
            Replicas replicas) {
        this.replicas = replicas;
        this.jobs = jobs;
        this.ready = ready;
        this.writes = writes;
        this.timers = timers;
        this.store = store;
        this.clock = clock;
        this.onSchedulerThread = onSchedulerThread;
    }

    /** Retries {@code jobId}; {@code reply} completes once the retry is durable, or fails if its commit did. */
    void retry(String jobId, CompletableFuture<RetryOutcome> reply) {
        guarded(jobId, reply, false);
    }

    private void guarded(String jobId, CompletableFuture<RetryOutcome> reply, boolean waited) {
        try {
            retry(jobId, reply, waited);
        } catch (RuntimeException e) {
            reply.completeExceptionally(e); // the caller must not wait for an answer that will not come
            throw e;
        }
    }

    private void retry(String jobId, CompletableFuture<RetryOutcome> reply, boolean waited) {
        Job active = jobs.get(jobId);
        if (active != null) {
            reply.complete(new RetryOutcome.NotRetryable(active, notFinished(active)));
            return;
        }
        Optional<Job> stored = store.find(jobId);
        JobStatus known = jobs.knownStatus(jobId);
        if (!waited && known != null && (stored.isEmpty() || stored.get().status() != known)) {
            // It ended moments ago and its terminal write may still be on its way: answer once it landed (once: a
            // job deleted since it ended stays deleted).
            writes.lastCommit()
                    .whenComplete((ignored, error) -> onSchedulerThread.accept(() -> guarded(jobId, reply, true)));
            return;
        }
        if (stored.isEmpty()) {
            reply.complete(new RetryOutcome.NotFound(jobId));
            return;
        }
        Job job = stored.get();
        String refusal = refusal(job);
        if (refusal != null) {
            reply.complete(new RetryOutcome.NotRetryable(job, refusal));
            return;
        }
        Job requeued = requeued(job, clock.now());
        jobs.requeued(requeued, job.status());
        writes.commitRequeue(requeued);
        if (job.spec().deadline() != null) {
            timers.atWallTime(job.spec().deadline(), Timer.Kind.DEADLINE, job.id(), 0);
        }
        if (!replicas.start(requeued)) { // a verified job runs again as new replicas
            ready.offer(requeued);
        }
        writes.afterCommit(failure -> {
            if (failure == null) {
                reply.complete(new RetryOutcome.Retried(requeued));
            } else {
                reply.completeExceptionally(failure);
            }
        });
    }

    /** Why {@code job}, finished as stored, cannot be retried; null when it can. */
    private String refusal(Job job) {
        if (!job.status().canRetry()) {
            return job.status() == JobStatus.COMPLETED
                    ? "job " + job.id() + " is COMPLETED; only FAILED, TIMED_OUT and CANCELLED jobs can be retried"
                            + " (submit it again to run it again)"
                    : notFinished(job);
        }
        Instant deadline = job.spec().deadline();
        if (deadline != null && !deadline.isAfter(clock.now())) {
            return "job " + job.id() + " is " + job.status() + " and its deadline " + deadline
                    + " has passed, so a retry would time out at once; submit it again with a later deadline";
        }
        return null;
    }

    private static String notFinished(Job job) {
        return "job " + job.id() + " is " + job.status() + "; only FAILED, TIMED_OUT and CANCELLED jobs can be"
                + " retried (cancel it first to run it again from the start)";
    }

    /** {@code job} back in the queue: its last attempt's result and error go, its history stays. */
    static Job requeued(Job job, Instant now) {
        return job.toBuilder()
                .status(JobStatus.QUEUED)
                .progress(0)
                .result(null)
                .error(null)
                .updatedAt(now)
                .finishedAt(null)
                .notBefore(null)
                .build();
    }
}
