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
        int dashboards,
        String backend,
        String model) {

    /** Without dashboards open ({@code --dashboards 0}) and talking to no model backend. */
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
                0,
                null,
                null);
    }

    /** Job {@code i} of a scenario: {@link BenchJobs#echo}, with {@code --placement}'s policy when one was given. */
    JobSpec job(long i) {
        JobSpec echo = BenchJobs.echo(i);
        return placement == null ? echo : echo.withPlacement(new Placement(placement, null, null));
    }

    /** The same options with {@code value} as the jobs' placement. */
    BenchOptions withPlacement(PlacementPolicy value) {
        return new BenchOptions(
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
                value);
    }

    /** The same options with {@code value} jobs. */
    BenchOptions withJobs(int value) {
        return new BenchOptions(
                scenario,
                value,
                agents,
                databaseUrl,
                coordinatorUrl,
                token,
                concurrency,
                batch,
                clients,
                timeoutSeconds,
                warmup,
                placement);
    }

    /** The same options with {@code value} warm-up jobs (a negative value: none). */
    BenchOptions withWarmup(int value) {
        return new BenchOptions(
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
                value == 0 ? -1 : value,
                placement);
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
