package org.planetarymesh.coordinator.api;

import io.javalin.http.Context;
import org.planetarymesh.coordinator.stats.MeshStats;

/**
 * {@code GET /v1/stats}: the mesh's figures from {@link MeshStats}, the same source {@code /metrics} and the dashboard
 * read: jobs per status from counters the scheduler maintains (no {@code COUNT(*)} over the jobs table), jobs by type
 * and scope, nodes by status, open links and streams, latency histograms. Cheap enough to poll often.
 */
final class StatsApi {

    private final MeshStats stats;

    StatsApi(MeshStats stats) {
        this.stats = stats;
    }

    void get(Context ctx) {
        Http.json(ctx, 200, stats.snapshot());
    }
}
