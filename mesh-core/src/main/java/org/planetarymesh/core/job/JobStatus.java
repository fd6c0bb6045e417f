package org.planetarymesh.core.job;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * A job's lifecycle state, and the one table of legal transitions between states. The store and the scheduler both
 * ask {@link #canTransitionTo} so no other code path can move a job in a way this table does not allow.
 */
public enum JobStatus {
    /** Waiting for its dependencies or its not-before time. */
    PENDING,
    /** Ready to be placed. */
    QUEUED,
    /** An auction for it is open. */
    ANNOUNCED,
    /** Sent to a node, not yet acknowledged. */
    ASSIGNED,
    /** The node acknowledged it and is running it. */
    RUNNING,
    COMPLETED,
    FAILED,
    CANCELLED,
    TIMED_OUT,
    /**
     * The mesh could not settle the job's result: its replicas disagreed ({@code verify}), or a paid job failed after
     * acceptance. Terminal to the scheduler and to clients; its edges out (refund, run again, cancel) are a person's
     * settlement, never an automatic move.
     */
    DISPUTED,
    REFUNDED;

    private static final Map<JobStatus, Set<JobStatus>> ALLOWED = buildTable();

    /**
     * The one way out of a finished state: a user's retry moves a FAILED, TIMED_OUT or CANCELLED job back to QUEUED
     * as a new attempt of the same job (docs/adr/0065). Kept apart from the automatic moves above, so that a finished
     * job stays {@link #isTerminal terminal} to the scheduler and its ordinary writes: only the store's own requeue
     * write takes this edge, and only when asked.
     */
    private static final Set<JobStatus> RETRYABLE =
            Collections.unmodifiableSet(EnumSet.of(FAILED, TIMED_OUT, CANCELLED));

    private static Map<JobStatus, Set<JobStatus>> buildTable() {
        Map<JobStatus, Set<JobStatus>> table = new EnumMap<>(JobStatus.class);
        // FAILED from PENDING: a dependency failed. QUEUED from ASSIGNED/RUNNING/ANNOUNCED: a retry or a lost node.
        table.put(PENDING, EnumSet.of(QUEUED, FAILED, CANCELLED, TIMED_OUT));
        table.put(QUEUED, EnumSet.of(ANNOUNCED, ASSIGNED, CANCELLED, TIMED_OUT));
        table.put(ANNOUNCED, EnumSet.of(ASSIGNED, QUEUED, FAILED, CANCELLED, TIMED_OUT));
        table.put(ASSIGNED, EnumSet.of(RUNNING, COMPLETED, QUEUED, FAILED, CANCELLED, TIMED_OUT));
        table.put(RUNNING, EnumSet.of(COMPLETED, QUEUED, FAILED, CANCELLED, TIMED_OUT, DISPUTED));
        table.put(DISPUTED, EnumSet.of(REFUNDED, QUEUED, CANCELLED));
        for (JobStatus terminal : EnumSet.of(COMPLETED, FAILED, CANCELLED, TIMED_OUT, REFUNDED)) {
            table.put(terminal, EnumSet.noneOf(JobStatus.class));
        }
        table.replaceAll((from, to) -> Collections.unmodifiableSet(to));
        return Collections.unmodifiableMap(table);
    }

    /** Whether a job in this state may move to {@code next}. */
    public boolean canTransitionTo(JobStatus next) {
        return ALLOWED.get(this).contains(next);
    }

    /** The states this one may move to. */
    public Set<JobStatus> successors() {
        return ALLOWED.get(this);
    }

    /** Whether a user may retry a job in this state: back to QUEUED for a new attempt (the table's retry edges). */
    public boolean canRetry() {
        return RETRYABLE.contains(this);
    }

    /** The states a user may retry a job from. */
    public static Set<JobStatus> retryable() {
        return RETRYABLE;
    }

    /**
     * A terminal job never changes again on its own; FAILED, TIMED_OUT and CANCELLED ones may be retried, and a
     * DISPUTED one settled (its table edges), each only when a person asks.
     */
    public boolean isTerminal() {
        return this == DISPUTED || ALLOWED.get(this).isEmpty();
    }

    /** Throws {@link IllegalTransitionException} unless {@link #canTransitionTo} allows the move. */
    public void checkTransitionTo(JobStatus next) {
        if (!canTransitionTo(next)) {
            throw new IllegalTransitionException(this, next);
        }
    }
}
