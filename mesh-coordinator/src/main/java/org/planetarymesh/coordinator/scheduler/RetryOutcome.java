package org.planetarymesh.coordinator.scheduler;

import org.planetarymesh.core.job.Job;

/** The answer to a retry request. */
public sealed interface RetryOutcome {
    /** The job is QUEUED again for a new attempt (durably). */
    record Retried(Job job) implements RetryOutcome {}

    /** The job is in a state a retry cannot leave ({@code why} says which and what to do). */
    record NotRetryable(Job job, String why) implements RetryOutcome {}

    /** No job has that id. */
    record NotFound(String jobId) implements RetryOutcome {}
}
