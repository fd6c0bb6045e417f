package org.planetarymesh.coordinator.scheduler;

import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobStatus;

/**
 * Jobs submitted with a {@code run_at} (or {@code delay_ms}) wait PENDING until then: their {@code not_before} arms a
 * timer, and only when it fires do they go on to their dependencies and the ready queue. The wait is durable because
 * it is the stored job's own state (PENDING with {@code not_before}): after a restart {@link Recovery} admits the job
 * again and this arms the timer anew.
 */
final class DelayedStarts {

    private final TimerQueue timers;
    private final SchedulerClock clock;

    DelayedStarts(TimerQueue timers, SchedulerClock clock) {
        this.timers = timers;
        this.clock = clock;
    }

    /** Whether {@code job} must wait for its start time; if so, its timer is armed. */
    boolean holds(Job job) {
        if (job.status() != JobStatus.PENDING
                || job.notBefore() == null
                || !job.notBefore().isAfter(clock.now())) {
            return false;
        }
        timers.atWallTime(job.notBefore(), Timer.Kind.NOT_BEFORE, job.id(), job.attempt());
        return true;
    }
}
