package org.planetarymesh.core.job;

import java.time.Instant;

/**
 * One try at running a job: where, when, how it ended (null outcome while it runs), and which executor the node's
 * capability router chose and by which rule ({@code exact}, {@code partial}, {@code category}, {@code fallback}).
 */
public record Attempt(
        int number,
        String nodeId,
        Instant startedAt,
        Instant finishedAt,
        String outcome,
        JobError error,
        String executor,
        String routeRule) {

    public Attempt(int number, String nodeId, Instant startedAt, Instant finishedAt, String outcome, JobError error) {
        this(number, nodeId, startedAt, finishedAt, outcome, error, null, null);
    }

    /** How it ended as a type: null while it runs, or for an outcome this version does not know. */
    public AttemptOutcome outcomeKind() {
        return AttemptOutcome.fromWire(outcome);
    }

    /** The same attempt, on {@code node}. */
    public Attempt onNode(String node) {
        return new Attempt(number, node, startedAt, finishedAt, outcome, error, executor, routeRule);
    }

    /** The same attempt, with the executor and routing rule the node reported. */
    public Attempt routedTo(String executorName, String rule) {
        return new Attempt(number, nodeId, startedAt, finishedAt, outcome, error, executorName, rule);
    }
}
