package org.planetarymesh.client;

import org.planetarymesh.core.job.JobSpec;
import org.planetarymesh.core.schedule.MissedFires;

/**
 * What {@link MeshSchedules#create} sends: a cron expression, its time zone (null: UTC), the job template, what to do
 * about missed ticks (null: {@code run_once}) and whether it starts paused.
 */
public record NewSchedule(String cron, String zone, JobSpec job, MissedFires missed, Boolean paused) {

    /** A running schedule in UTC that runs missed ticks once. */
    public static NewSchedule of(String cron, JobSpec job) {
        return new NewSchedule(cron, null, job, null, null);
    }
}
