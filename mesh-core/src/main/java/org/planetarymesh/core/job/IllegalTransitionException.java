package org.planetarymesh.core.job;

/** Thrown when code tries a status change that {@link JobStatus}'s table does not allow. */
public final class IllegalTransitionException extends IllegalStateException {
    private final JobStatus from;
    private final JobStatus to;

    public IllegalTransitionException(JobStatus from, JobStatus to) {
        super("a job cannot go from " + from + " to " + to
                + (from.isTerminal() ? " (" + from + " is terminal)" : "; allowed: " + from.successors()));
        this.from = from;
        this.to = to;
    }

    public JobStatus from() {
        return from;
    }

    public JobStatus to() {
        return to;
    }
}
