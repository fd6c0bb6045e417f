package org.planetarymesh.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.planetarymesh.core.schedule.Schedule;

/**
 * Durable cron schedules. A fire is not a method here: it is a {@link ScheduleFire} row committed with the job it
 * makes, in one {@link JobStore#apply} batch, so the tick moves on exactly when its job is stored.
 */
public interface ScheduleStore {

    void insert(Schedule schedule);

    Optional<Schedule> find(String id);

    /** Every schedule, oldest first. */
    List<Schedule> list();

    /** Deletes {@code id}; false if there was none. */
    boolean delete(String id);

    /** Pauses or resumes {@code id}, owing {@code nextFire}; false if there is no such schedule. */
    boolean setPaused(String id, boolean paused, Instant nextFire);

    /**
     * Moves {@code id} on from {@code expected} to {@code next} without a job (its missed fires skipped); false if
     * another coordinator moved it first.
     */
    boolean advance(String id, Instant expected, Instant next);
}
