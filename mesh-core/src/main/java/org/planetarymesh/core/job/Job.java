package org.planetarymesh.core.job;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A job as the mesh knows it at one moment: its immutable {@link JobSpec} plus its current state. Every change goes
 * through {@link #transitionTo}, which enforces {@link JobStatus}'s table, so an illegal state cannot be built.
 * {@code owner} is the id of the API token that submitted it, which scopes what a {@code submit} token may see.
 * An attempt given without a node ran on the job's node: the store leaves that node out of the document it rewrites
 * on every transition, as it does the routing record's implied winner ({@link Routing}).
 */
public record Job(
        String id,
        JobSpec spec,
        JobStatus status,
        String nodeId,
        int attempt,
        double progress,
        JsonNode result,
        JobError error,
        Instant createdAt,
        Instant updatedAt,
        Instant startedAt,
        Instant finishedAt,
        Instant notBefore,
        String receiptCid,
        Routing routing,
        List<Attempt> attempts,
        String owner) {

    public Job {
        attempts = attempts == null ? List.of() : onNode(attempts, nodeId);
    }

    // A plain loop: every transition builds a Job.
    private static List<Attempt> onNode(List<Attempt> attempts, String nodeId) {
        List<Attempt> placed = null;
        for (int i = 0; i < attempts.size() && nodeId != null; i++) {
            if (attempts.get(i).nodeId() == null) {
                placed = placed == null ? new ArrayList<>(attempts) : placed;
                placed.set(i, attempts.get(i).onNode(nodeId));
            }
        }
        return List.copyOf(placed == null ? attempts : placed);
    }

    /** A freshly submitted job: PENDING when it waits on dependencies or its {@code run_at}, else QUEUED. */
    public static Job submitted(String id, JobSpec spec, Instant now) {
        return submitted(id, spec, null, now);
    }

    /** A freshly submitted job owned by the API token {@code owner} (null: no owner, e.g. the admin token file). */
    public static Job submitted(String id, JobSpec spec, String owner, Instant now) {
        // A run_at in the past (a slow client, a clock apart) starts at once, as a missed time would.
        Instant notBefore = spec.runAt() != null && spec.runAt().isAfter(now) ? spec.runAt() : null;
        JobStatus first = spec.dependsOn().isEmpty() && notBefore == null ? JobStatus.QUEUED : JobStatus.PENDING;
        return new Job(
                id, spec, first, null, 0, 0, null, null, now, now, null, null, notBefore, null, null, List.of(), owner);
    }

    /** This job moved to {@code next} at {@code now}; throws {@link IllegalTransitionException} if not allowed. */
    public Job transitionTo(JobStatus next, Instant now) {
        status.checkTransitionTo(next);
        Instant finished = next.isTerminal() ? now : finishedAt;
        return new Job(
                id,
                spec,
                next,
                nodeId,
                attempt,
                progress,
                result,
                error,
                createdAt,
                now,
                startedAt,
                finished,
                notBefore,
                receiptCid,
                routing,
                attempts,
                owner);
    }

    /** Assigned to {@code node} as a new attempt, with the placement's reasoning. */
    public Job assign(String node, Routing why, Instant now) {
        Job moved = transitionTo(JobStatus.ASSIGNED, now);
        List<Attempt> history = new ArrayList<>(attempts);
        history.add(new Attempt(attempt + 1, node, now, null, null, null));
        return new Job(
                id,
                spec,
                moved.status,
                node,
                attempt + 1,
                0,
                null,
                null,
                createdAt,
                now,
                startedAt,
                null,
                null,
                receiptCid,
                why,
                history,
                owner);
    }

    /** The node acknowledged the attempt and is running it. */
    public Job running(Instant now) {
        Job moved = transitionTo(JobStatus.RUNNING, now);
        return new Job(
                id,
                spec,
                moved.status,
                nodeId,
                attempt,
                progress,
                result,
                error,
                createdAt,
                now,
                startedAt == null ? now : startedAt,
                null,
                notBefore,
                receiptCid,
                routing,
                attempts,
                owner);
    }

    /** The current attempt ended as {@code outcome}; {@code next} is the job's new status (QUEUED to retry, or terminal). */
    public Job endAttempt(
            JobStatus next, AttemptOutcome outcome, JsonNode value, JobError why, Instant retryAt, Instant now) {
        return endAttempt(next, outcome.wireName(), value, why, retryAt, now);
    }

    /** The current attempt ended; {@code next} is the job's new status (QUEUED to retry, or a terminal one). */
    public Job endAttempt(JobStatus next, String outcome, JsonNode value, JobError why, Instant retryAt, Instant now) {
        Job moved = transitionTo(next, now);
        List<Attempt> history = new ArrayList<>(attempts);
        if (!history.isEmpty() && history.getLast().finishedAt() == null) {
            Attempt open = history.removeLast();
            history.add(new Attempt(
                    open.number(),
                    open.nodeId(),
                    open.startedAt(),
                    now,
                    outcome,
                    why,
                    open.executor(),
                    open.routeRule(),
                    open.outputTruncated(),
                    open.outputCapBytes()));
        }
        double newProgress = next == JobStatus.COMPLETED ? 1.0 : progress;
        return new Job(
                id,
                spec,
                moved.status,
                nodeId,
                attempt,
                newProgress,
                value,
                why,
                createdAt,
                now,
                startedAt,
                moved.finishedAt,
                retryAt,
                receiptCid,
                routing,
                history,
                owner);
    }

    /** Same state, the current attempt's output cut at {@code capBytes} (the coordinator keeps no more of it). */
    public Job withOutputTruncated(long capBytes) {
        if (attempts.isEmpty()) {
            return this;
        }
        List<Attempt> history = new ArrayList<>(attempts);
        history.add(history.removeLast().truncatedAt(capBytes));
        return toBuilder().attempts(history).build();
    }

    /** Same state, recording which executor (and routing rule) the node used for the current attempt. */
    public Job withRoute(String executor, String routeRule) {
        if (attempts.isEmpty() || (executor == null && routeRule == null)) {
            return this;
        }
        List<Attempt> history = new ArrayList<>(attempts);
        history.add(history.removeLast().routedTo(executor, routeRule));
        return new Job(
                id,
                spec,
                status,
                nodeId,
                attempt,
                progress,
                result,
                error,
                createdAt,
                updatedAt,
                startedAt,
                finishedAt,
                notBefore,
                receiptCid,
                routing,
                history,
                owner);
    }

    /** Dependencies are satisfied: the job may be placed. */
    public Job released(Instant now) {
        return transitionTo(JobStatus.QUEUED, now);
    }

    /** Same state, new progress (0..1). */
    public Job withProgress(double value, Instant now) {
        return new Job(
                id,
                spec,
                status,
                nodeId,
                attempt,
                value,
                result,
                error,
                createdAt,
                now,
                startedAt,
                finishedAt,
                notBefore,
                receiptCid,
                routing,
                attempts,
                owner);
    }

    /** Same state, with the reasoning of the latest placement attempt (e.g. why it is not placed yet). */
    public Job withRouting(Routing value) {
        return new Job(
                id,
                spec,
                status,
                nodeId,
                attempt,
                progress,
                result,
                error,
                createdAt,
                updatedAt,
                startedAt,
                finishedAt,
                notBefore,
                receiptCid,
                value,
                attempts,
                owner);
    }

    /**
     * A builder starting from this job's state, for code that sets fields by name (tests, tools, new kinds of
     * transitions). The transitions above keep the canonical constructor: they run for every state change of every
     * job, and a builder would be one more object each time.
     */
    public JobBuilder toBuilder() {
        return new JobBuilder(this);
    }

    /** A builder for a new job with only its id and spec set; build checks nothing the constructor does not. */
    public static JobBuilder builder(String id, JobSpec spec) {
        return new JobBuilder(id, spec);
    }

    /** Ends the job with {@code terminal} status and {@code why}, closing any open attempt. */
    public Job finish(JobStatus terminal, JobError why, Instant now) {
        return endAttempt(terminal, terminal.name().toLowerCase(java.util.Locale.ROOT), result, why, null, now);
    }
}
