package org.planetarymesh.bench;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Locale;

/**
 * {@code receipts}: the throughput scenario with execution receipts off and on, alternating on one mesh (the same
 * coordinator and agent processes, so JIT state and the machine are shared): after a warm-up with receipts on, rounds
 * off, on, off, on of {@code --jobs} each. Reports each rate and on as a percentage of off (summed over the rounds);
 * the target is at least 90%.
 */
final class ReceiptsScenario {

    private static final int ROUNDS = 2;

    private ReceiptsScenario() {}

    static void run(MeshUnderTest mesh, BenchOptions options, Results results, PrintStream err)
            throws InterruptedException {
        int jobs = BenchOptions.or(options.jobs(), 50_000);
        int warmup = options.warmupOr(ThroughputScenario.DEFAULT_WARMUP);
        Results quiet = new Results(new PrintStream(OutputStream.nullOutputStream()));
        if (warmup > 0) {
            mesh.receipts(true);
            ThroughputScenario.measure(mesh, options, warmup, "receipts_warmup", quiet, err);
            results.note(String.format(Locale.ROOT, "receipts: after a warm-up round of %,d jobs", warmup));
        }
        double off = 0;
        double on = 0;
        double offCpu = 0;
        double onCpu = 0;
        for (int round = 1; round <= ROUNDS; round++) {
            mesh.receipts(false);
            var offRound = ThroughputScenario.measure(mesh, options, jobs, "receipts_off_" + round, results, err);
            off += offRound.jobsPerSecond();
            offCpu += offRound.meshCpuSeconds();
            mesh.receipts(true);
            var onRound = ThroughputScenario.measure(mesh, options, jobs, "receipts_on_" + round, results, err);
            on += onRound.jobsPerSecond();
            onCpu += onRound.meshCpuSeconds();
        }
        results.result("receipts_on_vs_off", Math.round(on / off * 1000) / 10.0, "%");
        // The mesh's own CPU a job, off as a share of on: what throughput on would be on a machine the mesh has to
        // itself and saturates, where the rate is CPU-bound; other processes' load does not enter it.
        results.result("receipts_cpu_off_vs_on", Math.round(offCpu / onCpu * 1000) / 10.0, "%");
        results.note(String.format(
                Locale.ROOT,
                "receipts: on %,.0f jobs/s, off %,.0f jobs/s (mean of %d rounds each): on is %.1f%% of off",
                on / ROUNDS,
                off / ROUNDS,
                ROUNDS,
                on / off * 100));
    }
}
