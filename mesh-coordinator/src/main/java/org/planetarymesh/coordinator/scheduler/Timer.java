package org.planetarymesh.coordinator.scheduler;

/**
 * Something the scheduler must do at {@code dueMillis} (monotonic clock); stale timers are recognised by attempt and
 * ignored.
 */
record Timer(long dueMillis, Kind kind, String jobId, int attempt) implements Comparable<Timer> {

    enum Kind {
        /** A delayed job's start time came: it may go on to its dependencies and the ready queue. */
        NOT_BEFORE,
        /** A retried job's backoff is over: it may be placed again. */
        RETRY_READY,
        /** The attempt ran past {@code timeout_ms}. */
        ATTEMPT_TIMEOUT,
        /** A deferred ASSIGNED or RUNNING state is due to be written if the attempt still runs. */
        DEFERRED_WRITE,
        /** The job's absolute deadline passed. */
        DEADLINE,
        /** A multi-turn placement asked to be woken for this job. */
        PLACEMENT_WAKE,
        /** A placer's acknowledgement deadline for the attempt's {@code assign_job} ({@link Placer#ackPolicy}). */
        ACK_TIMEOUT,
        /** Jobs recovered after a restart whose agent never came back. */
        RECOVERY_GRACE,
        /** Periodic node-health sweep. */
        HEALTH
    }

    @Override
    public int compareTo(Timer other) {
        return Long.compare(dueMillis, other.dueMillis);
    }
}
