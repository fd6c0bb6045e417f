package org.planetarymesh.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.core.job.AuctionRecord;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.PlacementPolicy;

/**
 * {@code auction}: first auction jobs one at a time on an idle mesh, each awaited, for announce→assigned (the job's
 * auction record: first announcement to the award, coordinator clock) with early close; then the throughput of
 * least-loaded jobs and of auction jobs in the same run, on the same agents, and their ratio.
 */
final class AuctionScenario {

    private static final int DEFAULT_SEQUENTIAL = 2_000;
    private static final int DEFAULT_WARMUP = 2_000;
    private static final int DEFAULT_THROUGHPUT_JOBS = 20_000;

    private AuctionScenario() {}

    static void run(MeshUnderTest mesh, BenchOptions options, Results results, PrintStream err)
            throws InterruptedException {
        BenchOptions auction = options.withPlacement(PlacementPolicy.AUCTION);
        announceToAssigned(mesh, auction, results, err);
        BenchOptions counted = options.withJobs(BenchOptions.or(options.jobs(), DEFAULT_THROUGHPUT_JOBS))
                .withWarmup(options.warmupOr(DEFAULT_THROUGHPUT_JOBS));
        ThroughputScenario.Figures leastLoaded = ThroughputScenario.run(
                mesh, counted.withPlacement(PlacementPolicy.LEAST_LOADED), "throughput_least_loaded", results, err);
        ThroughputScenario.Figures auctioned = ThroughputScenario.run(
                mesh, counted.withPlacement(PlacementPolicy.AUCTION), "throughput_auction", results, err);
        double ratio = auctioned.jobsPerSecond() / leastLoaded.jobsPerSecond();
        results.result("auction_throughput_ratio", Math.round(ratio * 1000) / 1000.0, "x");
        results.note(String.format(
                Locale.ROOT,
                "auction: %,.0f auctioned jobs/s against %,.0f least-loaded = %.0f%% (target: at least 50%%)",
                auctioned.jobsPerSecond(),
                leastLoaded.jobsPerSecond(),
                ratio * 100));
    }

    private static void announceToAssigned(MeshUnderTest mesh, BenchOptions options, Results results, PrintStream err) {
        int jobs = BenchOptions.or(options.jobs() / 10, DEFAULT_SEQUENTIAL);
        int warmup = Math.min(options.warmupOr(DEFAULT_WARMUP), DEFAULT_WARMUP);
        MeshClient client = mesh.client();
        long deadline = System.nanoTime()
                + Duration.ofSeconds(BenchOptions.or(options.timeoutSeconds(), 600))
                        .toNanos();
        double[] assigned = new double[jobs];
        int rounds = 0;
        Progress progress = new Progress(err, "auction_sequential", jobs);
        for (int i = -warmup; i < jobs; i++) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("auction: time limit reached after " + Math.max(0, i) + " jobs");
            }
            Job ended = client.await(client.submit(options.job(i)).id(), Duration.ofSeconds(30));
            if (i < 0) {
                continue;
            }
            AuctionRecord record =
                    ended.routing() == null ? null : ended.routing().auction();
            if (record == null || record.announcedAt() == null) {
                throw new IllegalStateException(
                        "auction: job " + ended.id() + " was not placed by a round of bids: " + ended.routing());
            }
            assigned[i] = Duration.between(record.announcedAt(), ended.routing().decidedAt())
                            .toNanos()
                    / 1e6;
            rounds += record.rounds();
            progress.update(i + 1);
        }
        progress.finish();
        Percentiles p = new Percentiles(assigned);
        results.result("auction_announce_to_assigned_p50", round(p.at(50)), "ms");
        results.result("auction_announce_to_assigned_p99", round(p.at(99)), "ms");
        results.result("auction_announce_to_assigned_max", round(p.max()), "ms");
        results.note(String.format(
                Locale.ROOT,
                "auction: %,d jobs one at a time (after %d warm-up), %.2f rounds each; announce->assigned p50 %.3f ms"
                        + " p99 %.3f ms (target: p50 <= 2 ms)",
                jobs,
                warmup,
                rounds / (double) jobs,
                p.at(50),
                p.at(99)));
    }

    private static double round(double ms) {
        return Math.round(ms * 1000) / 1000.0;
    }
}
