package org.planetarymesh.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.core.job.JobSpec;

/** Submits the no-op {@code echo} jobs through the REST API in batches ({@code submitAll}) from a few client threads. */
final class Submitter {

    private final MeshClient client;
    private final int batch;
    private final int threads;
    private final LongFunction<JobSpec> jobs;
    private final AtomicLong submitted = new AtomicLong();

    /** Submits the scenario's jobs ({@link BenchOptions#job}) with its batch size and client threads. */
    Submitter(MeshClient client, BenchOptions options) {
        this.client = client;
        this.batch = BenchOptions.or(options.batch(), 1_000);
        this.threads = BenchOptions.or(options.clients(), 2);
        this.jobs = options::job;
    }

    long submitted() {
        return submitted.get();
    }

    /** Submits {@code total} jobs and returns when all are acknowledged (durable); ids are not kept. */
    void submit(long total, Progress progress) throws InterruptedException {
        AtomicLong next = new AtomicLong();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    while (true) {
                        long from = next.getAndAdd(batch);
                        if (from >= total) {
                            return null;
                        }
                        int n = (int) Math.min(batch, total - from);
                        List<JobSpec> specs = new ArrayList<>(n);
                        for (int i = 0; i < n; i++) {
                            specs.add(jobs.apply(from + i));
                        }
                        client.submitAll(specs);
                        long done = submitted.addAndGet(n);
                        if (progress != null) {
                            synchronized (progress) {
                                progress.update(done);
                            }
                        }
                    }
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    throw new IllegalStateException("submitting failed: " + e.getCause(), e.getCause());
                }
            }
        }
    }
}
