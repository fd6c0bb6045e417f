package org.planetarymesh.coordinator.scheduler;

import java.time.Instant;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.planetarymesh.coordinator.auction.Reputation;
import org.planetarymesh.core.job.AttemptOutcome;
import org.planetarymesh.core.job.ErrorCode;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobError;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.protocol.Message;
import org.planetarymesh.store.JobStore;

/**
 * How an attempt ends when it does not complete: retried after its backoff while attempts remain, else failed; an
 * attempt that runs past {@code timeout_ms}, a job whose deadline passes, and a cancel request.
 */
final class AttemptPolicy {

    private final JobTable jobs;
    private final NodeRegistry nodes;
    private final JobLifecycle lifecycle;
    private final WriteBehind writes;
    private final JobStore store;
    private final SchedulerClock clock;
    private final Reputation reputation;
    private final SplittableRandom random = new SplittableRandom();

    AttemptPolicy(
            JobTable jobs,
            NodeRegistry nodes,
            JobLifecycle lifecycle,
            WriteBehind writes,
            JobStore store,
            Reputation reputation,
            SchedulerClock clock) {
        this.reputation = reputation;
        this.jobs = jobs;
        this.nodes = nodes;
        this.lifecycle = lifecycle;
        this.writes = writes;
        this.store = store;
        this.clock = clock;
    }

    /** The current attempt failed with {@code error}: retried after its backoff if it may be, else the job fails. */
    void retryOrFail(Job job, JobError error, boolean retryable) {
        Instant now = clock.now();
        NodeState node = nodes.get(job.nodeId());
        if (node != null && node.running.remove(job.id())) {
            nodes.recountFreeSlots();
        }
        reputation.attemptFailed(job.nodeId(), error);
        long failedRuns = job.attempts().stream()
                        .filter(a -> a.outcome() != null && usesAttempt(a.outcomeKind()))
                        .count()
                + 1;
        int maxAttempts = job.spec().retry().maxAttempts();
        if (!retryable || failedRuns >= maxAttempts) {
            String why = retryable
                    ? error.message() + " (attempt " + failedRuns + " of " + maxAttempts + ")"
                    : error.message();
            lifecycle.terminal(
                    job.endAttempt(JobStatus.FAILED, outcomeOf(error), null, error.withMessage(why), null, now));
            return;
        }
        long delay = job.spec().retry().backoff().delayMs((int) failedRuns + 1, random);
        Instant retryAt = now.plusMillis(delay);
        lifecycle.update(job.endAttempt(JobStatus.QUEUED, outcomeOf(error), null, error, retryAt, now));
    }

    /** An outcome this version does not know (written by a newer one) counts, as failures do. */
    private static boolean usesAttempt(AttemptOutcome outcome) {
        return outcome == null || outcome.usesAttempt();
    }

    private static AttemptOutcome outcomeOf(JobError error) {
        return switch (error.codeKind()) {
            case TIMEOUT -> AttemptOutcome.TIMEOUT;
            case NODE_LOST -> AttemptOutcome.LOST;
            case CANCELLED -> AttemptOutcome.CANCELLED;
            case INVALID_RECEIPT -> AttemptOutcome.INVALID_RECEIPT;
            default -> AttemptOutcome.FAILED;
        };
    }

    void attemptTimedOut(Job job) {
        NodeState node = nodes.get(job.nodeId());
        if (node != null) {
            nodes.send(node, new Message.JobCancel(job.id(), job.attempt(), "timeout"));
        }
        retryOrFail(
                job,
                new JobError(
                        ErrorCode.TIMEOUT,
                        "attempt " + job.attempt() + " exceeded timeout_ms="
                                + job.spec().timeoutMs()),
                true);
    }

    /**
     * The node {@code job} was assigned to never acknowledged it, though {@code assign_job} was sent again: it is taken
     * back without using an attempt (the node never started it, as far as anyone knows) and placed again, where its
     * placer knows to pass that node over. The node's reputation counts it as a timeout.
     */
    void unacknowledged(Job job, long ackTimeoutMs) {
        Instant now = clock.now();
        String why = "node " + job.nodeId() + " did not acknowledge assign_job within " + ackTimeoutMs + " ms";
        stopOnNode(job, "not acknowledged in time");
        reputation.unacknowledged(job.nodeId());
        lifecycle.update(job.endAttempt(
                JobStatus.QUEUED, AttemptOutcome.REJECTED, null, new JobError(ErrorCode.TIMEOUT, why), null, now));
    }

    void deadlinePassed(Job job) {
        stopOnNode(job, "deadline passed");
        lifecycle.finish(
                job,
                JobStatus.TIMED_OUT,
                new JobError(
                        ErrorCode.DEADLINE_EXCEEDED,
                        "the job's deadline " + job.spec().deadline() + " passed before it completed"));
    }

    /** Cancels the job; {@code reply} completes once the cancellation is durable, and fails if its commit did. */
    void cancel(String jobId, CompletableFuture<CancelOutcome> reply) {
        Job job = jobs.get(jobId);
        if (job == null) {
            Optional<Job> stored = store.find(jobId);
            reply.complete(stored.<CancelOutcome>map(CancelOutcome.AlreadyFinished::new)
                    .orElse(new CancelOutcome.NotFound(jobId)));
            return;
        }
        stopOnNode(job, "cancelled by request");
        Job cancelled =
                lifecycle.finish(job, JobStatus.CANCELLED, new JobError(ErrorCode.CANCELLED, "cancelled by request"));
        writes.afterCommit(failure -> {
            if (failure == null) {
                reply.complete(new CancelOutcome.Cancelled(cancelled));
            } else {
                reply.completeExceptionally(failure); // the cancel never landed: the client must not hear CANCELLED
            }
        });
    }

    /** Takes back a job whose insert failed for good: it was never stored, so it must leave no count and no run. */
    void notStored(String jobId) {
        Job job = jobs.get(jobId);
        if (job != null) {
            stopOnNode(job, "its insert failed");
        }
        writes.supersede(jobId);
        jobs.forget(jobId);
    }

    private void stopOnNode(Job job, String reason) {
        if (job.status() != JobStatus.ASSIGNED && job.status() != JobStatus.RUNNING) {
            return;
        }
        NodeState node = nodes.get(job.nodeId());
        if (node != null) {
            node.running.remove(job.id());
            nodes.send(node, new Message.JobCancel(job.id(), job.attempt(), reason));
            nodes.recountFreeSlots();
        }
    }
}
