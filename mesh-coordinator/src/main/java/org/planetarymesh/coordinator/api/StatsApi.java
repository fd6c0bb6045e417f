package org.planetarymesh.coordinator.api;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import org.planetarymesh.coordinator.scheduler.Scheduler;
import org.planetarymesh.core.job.JobStatus;

/**
 * {@code GET /v1/stats}: how many jobs are in each status, from counters the scheduler maintains (no {@code COUNT(*)}
 * over the jobs table), so dashboards and benchmarks can poll it often.
 */
final class StatsApi {

    private final Scheduler scheduler;

    StatsApi(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    void get(Context ctx) {
        Map<JobStatus, Long> counts = scheduler.counts();
        Map<String, Long> jobs = new LinkedHashMap<>();
        long total = 0;
        for (JobStatus status : JobStatus.values()) {
            long n = counts.getOrDefault(status, 0L);
            jobs.put(status.name(), n);
            total += n;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("jobs", jobs);
        body.put("total", total);
        body.put("deleted", scheduler.finishedDeletedTotal());
        Http.json(ctx, 200, body);
    }
}
