package org.planetarymesh.core.job;

import java.time.Instant;

/**
 * One try at running a job: where, when, how it ended (null outcome while it runs), and which executor the node's
 * capability router chose and by which rule ({@code exact}, {@code partial}, {@code category}, {@code fallback}).
 * {@code outputTruncated} is true, and {@code outputCapBytes} the cap, when the attempt printed more output than the
 * coordinator keeps of one attempt (the rest was dropped); both are null otherwise.
 */
public record Attempt(
        int number,
        String nodeId,
        Instant startedAt,
        Instant finishedAt,
        String outcome,
        JobError error,
        String executor,
        String routeRule,
        Boolean outputTruncated,
        Long outputCapBytes) {

    public Attempt(int number, String nodeId, Instant startedAt, Instant finishedAt, String outcome, JobError error) {
        this(number, nodeId, startedAt, finishedAt, outcome, error, null, null);
    }

    public Attempt(
            int number,
            String nodeId,
            Instant startedAt,
            Instant finishedAt,
            String outcome,
            JobError error,
            String executor,
            String routeRule) {
        this(number, nodeId, startedAt, finishedAt, outcome, error, executor, routeRule, null, null);
    }

    /** How it ended as a type: null while it runs, or for an outcome this version does not know. */
    public AttemptOutcome outcomeKind() {
        return AttemptOutcome.fromWire(outcome);
    }

    /** The same attempt, on {@code node}. */
    public Attempt onNode(String node) {
        return new Attempt(
                number,
                node,
                startedAt,
                finishedAt,
                outcome,
                error,
                executor,
                routeRule,
                outputTruncated,
                outputCapBytes);
    }

    /** The same attempt, with the executor and routing rule the node reported. */
    public Attempt routedTo(String executorName, String rule) {
        return new Attempt(
                number,
                nodeId,
                startedAt,
                finishedAt,
                outcome,
                error,
                executorName,
                rule,
                outputTruncated,
                outputCapBytes);
    }

    /** The same attempt, its output cut at {@code capBytes}. */
    public Attempt truncatedAt(long capBytes) {
        return new Attempt(number, nodeId, startedAt, finishedAt, outcome, error, executor, routeRule, true, capBytes);
    }
}
