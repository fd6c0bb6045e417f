package org.planetarymesh.bench;

import org.planetarymesh.core.job.JobSpec;
import org.planetarymesh.core.job.Placement;
import org.planetarymesh.core.job.PlacementPolicy;

/** What {@code mesh bench} was asked to run: the scenario and its knobs (null or 0 means the scenario's default); {@code backend} and {@code model} are the inference scenario's. */
public record BenchOptions(
        String scenario,
        int jobs,
        int agents,
        String databaseUrl,
        String coordinatorUrl,
        String token,
        int concurrency,
        int batch,
        int clients,
        int timeoutSeconds,
        int warmup,
        PlacementPolicy placement,
        String backend,
        String model) {

    /** Options of a scenario that talks to no model backend. */
    public BenchOptions(
            String scenario,
            int jobs,
            int agents,
            String databaseUrl,
            String coordinatorUrl,
            String token,
            int concurrency,
            int batch,
            int clients,
            int timeoutSeconds,
            int warmup,
            PlacementPolicy placement) {
        this(
                scenario,
                jobs,
                agents,
                databaseUrl,
                coordinatorUrl,
                token,
                concurrency,
                batch,
                clients,
                timeoutSeconds,
                warmup,
                placement,
                null,
                null);
    }

    /** Job {@code i} of a scenario: {@link BenchJobs#echo}, with {@code --placement}'s policy when one was given. */
    JobSpec job(long i) {
        JobSpec echo = BenchJobs.echo(i);
        return placement == null ? echo : echo.withPlacement(new Placement(placement, null, null));
    }

    /** Warm-up jobs: {@code --warmup} if given, none for a negative value, else {@code fallback}. */
    int warmupOr(int fallback) {
        return warmup < 0 ? 0 : or(warmup, fallback);
    }

    /** {@code value} unless it is unset (0 or less), then {@code fallback}. */
    static int or(int value, int fallback) {
        return value > 0 ? value : fallback;
    }
}
