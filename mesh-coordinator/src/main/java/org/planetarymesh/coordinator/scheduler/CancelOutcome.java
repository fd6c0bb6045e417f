package org.planetarymesh.coordinator.scheduler;

import org.planetarymesh.core.job.Job;

/** The answer to a cancel request. */
public sealed interface CancelOutcome {
    /** The job is now CANCELLED (durably). */
    record Cancelled(Job job) implements CancelOutcome {}

    /** The job had already ended; nothing changed. */
    record AlreadyFinished(Job job) implements CancelOutcome {}

    /** No job has that id. */
    record NotFound(String jobId) implements CancelOutcome {}
}
