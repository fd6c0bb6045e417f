package org.planetarymesh.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.core.job.Job;

/**
 * {@code latency}: an idle mesh, jobs submitted one at a time, each awaited before the next; submit→started and
 * submit→completed from the client's clock at submit to the job's {@code started_at} / {@code finished_at} (one
 * machine, one clock).
 */
final class LatencyScenario {

    /**
     * Jobs run before measuring unless {@code --warmup} says otherwise, so the scenario measures a coordinator that
     * has been serving. With fewer the JIT is still compiling during the measured jobs, on the same two cores
     * (BENCHMARKS.md gives the figures after 100 and 1,000 too). Fewer than the throughput scenarios': these run one at
     * a time (about 20 s), and the latency figures stop improving by then (submit→started p99 ~5 ms after 1,000 jobs,
     * ~3.5 ms after 5,000, ~1.8 ms after 20,000).
     */
    private static final int DEFAULT_WARMUP = 20_000;

    private LatencyScenario() {}

    static void run(MeshUnderTest mesh, BenchOptions options, Results results, PrintStream err) {
        int jobs = BenchOptions.or(options.jobs(), 2_000);
        int warmup = options.warmupOr(DEFAULT_WARMUP);
        MeshClient client = mesh.client();
        long deadline = System.nanoTime()
                + Duration.ofSeconds(BenchOptions.or(options.timeoutSeconds(), 600))
                        .toNanos();
        double[] started = new double[jobs];
        double[] completed = new double[jobs];
        Hops hops = new Hops(jobs);
        Progress progress = new Progress(err, "latency", jobs);
        for (int i = -warmup; i < jobs; i++) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("latency: time limit reached after " + Math.max(0, i) + " jobs");
            }
            Instant submittedAt = Instant.now();
            Job job = client.submit(options.job(i));
            Job ended = client.await(job.id(), Duration.ofSeconds(30));
            if (i < 0) {
                continue;
            }
            started[i] = millis(submittedAt, ended.startedAt());
            completed[i] = millis(submittedAt, ended.finishedAt());
            hops.record(i, submittedAt, ended);
            progress.update(i + 1);
        }
        progress.finish();
        report("latency_started", new Percentiles(started), results);
        report("latency_completed", new Percentiles(completed), results);
        hops.report(started, results);
        results.note(String.format(
                Locale.ROOT,
                "latency: %,d jobs one at a time (after %d warm-up); submit->started p50 %.2f ms p99 %.2f ms;"
                        + " submit->completed p50 %.2f ms p99 %.2f ms",
                jobs,
                warmup,
                new Percentiles(started).at(50),
                new Percentiles(started).at(99),
                new Percentiles(completed).at(50),
                new Percentiles(completed).at(99)));
    }

    private static double millis(Instant from, Instant to) {
        if (to == null) {
            return Double.NaN;
        }
        return Duration.between(from, to).toNanos() / 1e6;
    }

    private static void report(String name, Percentiles p, Results results) {
        results.result(name + "_p50", round(p.at(50)), "ms");
        results.result(name + "_p90", round(p.at(90)), "ms");
        results.result(name + "_p99", round(p.at(99)), "ms");
        results.result(name + "_max", round(p.max()), "ms");
    }

    private static double round(double ms) {
        return Math.round(ms * 1000) / 1000.0;
    }
}
