package org.planetarymesh.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * {@code backlog}: N jobs queued before any agent joins (heap per queued job measured on the in-process coordinator),
 * then the agents join and drain it; dispatch rate from the first agent's arrival to the last completion.
 */
final class BacklogScenario {

    private BacklogScenario() {}

    static void run(MeshUnderTest mesh, BenchOptions options, Results results, PrintStream err) throws Exception {
        int jobs = BenchOptions.or(options.jobs(), 1_000_000);
        int agentCount = BenchOptions.or(options.agents(), 4);
        long deadline = System.nanoTime()
                + Duration.ofSeconds(BenchOptions.or(options.timeoutSeconds(), 1_800))
                        .toNanos();
        long heapBefore = mesh.inProcess() ? HeapProbe.usedAfterGc() : -1;
        Submitter submitter = new Submitter(mesh.client(), options);
        Progress queueing = new Progress(err, "queueing", jobs);
        long s0 = System.nanoTime();
        submitter.submit(jobs, queueing);
        queueing.finish();
        double submitSeconds = (System.nanoTime() - s0) / 1e9;
        results.result("backlog_jobs", jobs, "jobs");
        results.result("backlog_enqueue_rate", Math.round(jobs / submitSeconds), "jobs/s");
        if (mesh.inProcess()) {
            Thread.sleep(500); // the scheduler admits the last submitted batch
            long heapAfter = HeapProbe.usedAfterGc();
            double perJob = (heapAfter - heapBefore) / (double) jobs;
            results.result("backlog_heap_used", Math.round((heapAfter) / 1048576.0), "MiB");
            results.result("backlog_heap_per_queued_job", Math.round(perJob), "bytes");
        }
        CompletionWatcher watcher = new CompletionWatcher(mesh.client());
        try (AgentProcesses agents = AgentProcesses.start(
                agentCount, mesh.url(), mesh.token(), BenchOptions.or(options.concurrency(), 64), mesh.workDir())) {
            Instant firstAgent = null;
            while (firstAgent == null && System.nanoTime() < deadline) {
                if (!mesh.client().nodes().isEmpty()) {
                    firstAgent = Instant.now();
                } else {
                    Thread.sleep(5);
                }
            }
            OptionalDouble cpuAtFirstAgent = MachineCpu.busySeconds();
            Progress draining = new Progress(err, "draining", jobs);
            if (!watcher.awaitIdle(() -> true, draining, 0, jobs, deadline)) {
                throw new IllegalStateException("backlog: the queue did not drain within the time limit");
            }
            long seen = System.nanoTime();
            OptionalDouble cpuAtEnd = MachineCpu.busySeconds();
            draining.finish();
            Instant last = watcher.lastFinished();
            double seconds = last == null
                    ? (seen - s0) / 1e9
                    : Duration.between(firstAgent, last).toNanos() / 1e9;
            double rate = jobs / seconds;
            results.result("backlog_dispatch_rate", Math.round(rate), "jobs/s");
            MachineCpu.microsPerJob(cpuAtFirstAgent, cpuAtEnd, jobs)
                    .ifPresent(micros -> results.result("backlog_drain_cpu_per_job", Math.round(micros), "us"));
            results.note(String.format(
                    Locale.ROOT,
                    "backlog: %,d jobs queued in %.1f s; %d agents drained them in %.2f s = %,.0f jobs/s",
                    jobs,
                    submitSeconds,
                    agentCount,
                    seconds,
                    rate));
        }
    }
}
