package org.planetarymesh.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;

/**
 * {@code throughput}: M no-op jobs submitted in batches while the agents run them; completed jobs per second from the
 * first submit to the last completion. A warm-up round of the same kind goes first (not counted) unless
 * {@code --warmup -1}: in a run of a few seconds the JIT compiling the coordinator's path otherwise takes a large share
 * of the two cores, which measures the JVM's start rather than the mesh.
 */
final class ThroughputScenario {

    /** What one run measured. */
    /** One measured round; {@code meshCpuSeconds}: CPU of the mesh's own processes over it ({@link MeshCpu}). */
    record Figures(long jobs, double seconds, double jobsPerSecond, double submitPerSecond, double meshCpuSeconds) {}

    /**
     * Jobs in the uncounted warm-up round unless {@code --warmup} says otherwise. C2 is still compiling the
     * coordinator's path for well over 50,000 jobs (on 2 cores, 20,000 and 50,000 warm-up jobs measured
     * ~8.5-9k jobs/s, 100,000 and 200,000 ~11.5-12.3k), so fewer would measure a coordinator that has not yet served
     * for a minute.
     */
    static final int DEFAULT_WARMUP = 100_000;

    private ThroughputScenario() {}

    static Figures run(MeshUnderTest mesh, BenchOptions options, String prefix, Results results, PrintStream err)
            throws InterruptedException {
        int warmup = options.warmupOr(DEFAULT_WARMUP);
        if (warmup > 0) {
            measure(
                    mesh,
                    options,
                    warmup,
                    prefix + "_warmup",
                    new Results(new PrintStream(java.io.OutputStream.nullOutputStream())),
                    err);
            results.note(String.format(Locale.ROOT, "%s: after a warm-up round of %,d jobs", prefix, warmup));
        }
        return measure(mesh, options, BenchOptions.or(options.jobs(), 50_000), prefix, results, err);
    }

    static Figures measure(
            MeshUnderTest mesh, BenchOptions options, int jobs, String prefix, Results results, PrintStream err)
            throws InterruptedException {
        CompletionWatcher watcher = new CompletionWatcher(mesh.client());
        long baseline = Math.max(0, watcher.ended());
        Submitter submitter = new Submitter(mesh.client(), options);
        long deadline = System.nanoTime()
                + Duration.ofSeconds(BenchOptions.or(options.timeoutSeconds(), 600))
                        .toNanos();
        OptionalDouble cpuAtStart = MachineCpu.busySeconds();
        double meshCpuAtStart = MeshCpu.seconds();
        Instant start = Instant.now();
        long startNanos = System.nanoTime();
        java.util.concurrent.atomic.AtomicLong submittedNanos = new java.util.concurrent.atomic.AtomicLong();
        CompletableFuture<Void> submitting = CompletableFuture.runAsync(() -> {
            try {
                submitter.submit(jobs, null);
                submittedNanos.set(System.nanoTime());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while submitting", e);
            }
        });
        Progress progress = new Progress(err, prefix, jobs);
        boolean done = watcher.awaitIdle(
                () -> {
                    if (submitting.isCompletedExceptionally()) {
                        submitting.join(); // throws the submitter's failure
                    }
                    return submitting.isDone();
                },
                progress,
                baseline,
                jobs,
                deadline);
        long seenNanos = System.nanoTime();
        OptionalDouble cpuAtEnd = MachineCpu.busySeconds();
        double meshCpuAtEnd = MeshCpu.seconds();
        progress.finish();
        if (!done) {
            throw new IllegalStateException(prefix + ": not all " + jobs + " jobs ended within the time limit ("
                    + submitter.submitted() + " submitted)");
        }
        Instant last = watcher.lastFinished();
        double seen = (seenNanos - startNanos) / 1e9;
        double seconds = last == null
                ? seen
                : Math.min(seen, Duration.between(start, last).toNanos() / 1e9);
        double rate = jobs / seconds;
        results.result(prefix + "_jobs", jobs, "jobs");
        results.result(prefix, Math.round(rate), "jobs/s");
        results.result(
                prefix + "_enqueue_rate", Math.round(jobs / ((submittedNanos.get() - startNanos) / 1e9)), "jobs/s");
        // From the first submit until the mesh was seen idle: every process on the machine, this one's client too.
        MachineCpu.microsPerJob(cpuAtStart, cpuAtEnd, jobs)
                .ifPresent(micros -> results.result(prefix + "_cpu_per_job", Math.round(micros), "us"));
        results.result(prefix + "_mesh_cpu_per_job", Math.round((meshCpuAtEnd - meshCpuAtStart) * 1e6 / jobs), "us");
        results.note(String.format(
                Locale.ROOT,
                "%s: %,d jobs in %.2f s (first submit to last completion) = %,.0f jobs/s",
                prefix,
                jobs,
                seconds,
                rate));
        return new Figures(jobs, seconds, rate, 0, meshCpuAtEnd - meshCpuAtStart);
    }
}
