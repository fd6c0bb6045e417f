package org.planetarymesh.core.schedule;

import java.time.Instant;
import org.planetarymesh.core.job.JobSpec;

/**
 * A recurring job: each time {@code cron} comes round in {@code zone}, the mesh submits an ordinary job made from the
 * template {@code job}. {@code nextFire} is the tick the schedule owes next (it stays set while paused, and is computed
 * afresh on resume); {@code lastFire} and {@code lastJobId} say what it did last. {@code owner} is the id of the API
 * token that created it, and owns its jobs.
 */
public record Schedule(
        String id,
        String cron,
        String zone,
        JobSpec job,
        MissedFires missed,
        boolean paused,
        Instant nextFire,
        Instant lastFire,
        String lastJobId,
        Instant createdAt,
        String owner) {

    public Schedule {
        missed = missed == null ? MissedFires.RUN_ONCE : missed;
    }

    /** The idempotency key of the job that settles tick {@code tick}: one job per tick, however many coordinators. */
    public static String tickKey(String scheduleId, Instant tick) {
        return "schedule:" + scheduleId + ":" + tick;
    }

    /** The same schedule, paused or running, owing {@code next}. */
    public Schedule withPaused(boolean value, Instant next) {
        return new Schedule(id, cron, zone, job, missed, value, next, lastFire, lastJobId, createdAt, owner);
    }

    /** The same schedule after it fired for {@code tick} with job {@code jobId}, now owing {@code next}. */
    public Schedule fired(Instant tick, String jobId, Instant next) {
        return new Schedule(id, cron, zone, job, missed, paused, next, tick, jobId, createdAt, owner);
    }

    /** The same schedule owing {@code next}, having fired nothing (missed fires skipped). */
    public Schedule owing(Instant next) {
        return new Schedule(id, cron, zone, job, missed, paused, next, lastFire, lastJobId, createdAt, owner);
    }
}
