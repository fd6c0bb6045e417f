package org.planetarymesh.core.job;

import java.util.Locale;

/**
 * How one attempt of a job ended. Stored and shown by its wire name ({@link Attempt#outcome()}: {@code completed},
 * {@code failed}, {@code lost}, ...); two outcomes do not count against {@code retry.max_attempts}, since the job never
 * really got its chance: a node's rejection and an agent shutting down.
 */
public enum AttemptOutcome {
    /** The node ran it to completion. */
    COMPLETED("completed", true),
    /** The executor reported an error. */
    FAILED("failed", true),
    /** The attempt ran past {@code timeout_ms}. */
    TIMEOUT("timeout", true),
    /** The node stopped responding, or restarted without the job. */
    LOST("lost", true),
    /** Cancelled by request while it ran. */
    CANCELLED("cancelled", true),
    /** The job's deadline passed while it ran. */
    TIMED_OUT("timed_out", true),
    /** The node refused it ({@code out_of_capacity}, unsupported type, ...) before starting it. */
    REJECTED("rejected", false),
    /** The agent shut down and handed it back ({@code agent_stopping}). */
    INTERRUPTED("interrupted", false),
    /** The node reported success but its receipt did not verify ({@code invalid_receipt}); counts against it. */
    INVALID_RECEIPT("invalid_receipt", true);

    private final String wireName;
    private final boolean usesAttempt;

    AttemptOutcome(String wireName, boolean usesAttempt) {
        this.wireName = wireName;
        this.usesAttempt = usesAttempt;
    }

    /** The name stored in the job document and shown by the API. */
    public String wireName() {
        return wireName;
    }

    /** Whether an attempt that ended so counts against {@code retry.max_attempts}. */
    public boolean usesAttempt() {
        return usesAttempt;
    }

    /** The outcome with this wire name, or null for none (a running attempt) or a name this version does not know. */
    public static AttemptOutcome fromWire(String name) {
        if (name == null) {
            return null;
        }
        for (AttemptOutcome outcome : values()) {
            if (outcome.wireName.equals(name.toLowerCase(Locale.ROOT))) {
                return outcome;
            }
        }
        return null;
    }
}
