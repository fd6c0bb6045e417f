package org.planetarymesh.coordinator.api;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.store.JobStore;

/** {@code GET /v1/stats}: how many jobs are in each status, one cheap query for dashboards and benchmarks. */
final class StatsApi {

    private final JobStore store;

    StatsApi(JobStore store) {
        this.store = store;
    }

    void get(Context ctx) {
        Map<JobStatus, Long> counts = store.countByStatus();
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
        Http.json(ctx, 200, body);
    }
}
