package org.planetarymesh.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.planetarymesh.core.job.Job;

/**
 * Where one job's submit→started time went, from the instants the job itself carries: the client's clock at submit
 * to the coordinator's {@code created_at} (the HTTP request), to its routing {@code decided_at} (hand-off to the
 * scheduler and placement), to {@code started_at} (the {@code assign_job} frame, the agent, and its reply back to the
 * scheduler). One machine, one clock. Reported at p50 and p99 each, and as means over the slowest 1% of jobs, to show
 * which hop the tail is in.
 */
final class Hops {

    private static final String[] NAMES = {"request", "placement", "agent"};

    private final double[][] millis;

    Hops(int jobs) {
        this.millis = new double[NAMES.length][jobs];
    }

    void record(int i, Instant submittedAt, Job job) {
        Instant decidedAt = job.routing() == null ? null : job.routing().decidedAt();
        millis[0][i] = between(submittedAt, job.createdAt());
        millis[1][i] = between(job.createdAt(), decidedAt);
        millis[2][i] = between(decidedAt, job.startedAt());
    }

    /** RESULT lines per hop: p50, p99, and the mean over the jobs whose {@code started} is in its slowest 1%. */
    void report(double[] started, Results results) {
        Integer[] slowest = IntStream.range(0, started.length)
                .boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> started[i]).reversed())
                .limit(Math.max(1, started.length / 100))
                .toArray(Integer[]::new);
        for (int h = 0; h < NAMES.length; h++) {
            double[] hop = millis[h];
            Percentiles p = new Percentiles(hop);
            String name = "latency_hop_" + NAMES[h];
            results.result(name + "_p50", round(p.at(50)), "ms");
            results.result(name + "_p99", round(p.at(99)), "ms");
            results.result(
                    name + "_slowest1pct_mean",
                    round(Arrays.stream(slowest)
                            .mapToDouble(i -> hop[i])
                            .average()
                            .orElse(Double.NaN)),
                    "ms");
        }
    }

    private static double between(Instant from, Instant to) {
        return from == null || to == null
                ? Double.NaN
                : Duration.between(from, to).toNanos() / 1e6;
    }

    private static double round(double ms) {
        return Math.round(ms * 1000) / 1000.0;
    }
}
