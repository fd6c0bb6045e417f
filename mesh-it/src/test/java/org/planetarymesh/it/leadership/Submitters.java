package org.planetarymesh.it.leadership;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.client.MeshClientException;
import org.planetarymesh.client.MeshClientOptions;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobSpec;
import org.planetarymesh.core.json.Json;

/**
 * Clients submitting the N jobs one by one, each with its own idempotency key, retrying a key until a coordinator
 * accepts it (a retried key that was accepted after all returns the same job).
 */
final class Submitters {
    private final String urls;
    private final String token;
    private final int jobs;
    private final int threadCount;
    private final long everyNanos;
    private final Duration runLimit;
    private final Map<String, String> idsByKey = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> refusals = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();
    private volatile String problem;

    /** {@code jobs} jobs from {@code threads} clients, each pausing {@code everyNanos} between its submits. */
    Submitters(String urls, String token, int jobs, int threads, long everyNanos, Duration runLimit) {
        this.urls = urls;
        this.token = token;
        this.jobs = jobs;
        this.threadCount = threads;
        this.everyNanos = everyNanos;
        this.runLimit = runLimit;
    }

    void start() {
        for (int t = 0; t < threadCount; t++) {
            threads.add(Thread.ofVirtual().name("submitter-" + t).start(this::run));
        }
    }

    private void run() {
        JobSpec sleep = JobSpec.of("sleep", Json.mapper().createObjectNode().put("ms", 5));
        long deadline = System.nanoTime() + runLimit.toNanos();
        try (MeshClient client = MeshClient.connect(MeshClientOptions.of(urls, token)
                .withConnectTimeout(Duration.ofSeconds(2))
                .withRequestTimeout(Duration.ofSeconds(15)))) {
            for (int n = next.getAndIncrement(); n < jobs && !stop.get(); n = next.getAndIncrement()) {
                String key = "chaos-" + n;
                long paceUntil = System.nanoTime() + everyNanos;
                while (!stop.get()) {
                    if (System.nanoTime() > deadline) {
                        problem = "job " + key + " was not accepted within " + runLimit;
                        return;
                    }
                    try {
                        Job job = client.submit(sleep, key);
                        idsByKey.put(key, job.id());
                        break;
                    } catch (MeshClientException e) {
                        refusals.computeIfAbsent(e.status() + " " + e.code(), k -> new AtomicInteger())
                                .incrementAndGet();
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                    }
                }
                LockSupport.parkNanos(Math.max(0, paceUntil - System.nanoTime()));
            }
        } catch (RuntimeException e) {
            problem = e.toString();
        }
    }

    /** The answers that refused a submit (to be retried), as {@code "status code"} (status 0: no answer) → count. */
    Map<String, Integer> refusals() {
        Map<String, Integer> out = new java.util.TreeMap<>();
        refusals.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    int accepted() {
        return idsByKey.size();
    }

    Set<String> ids() {
        return Set.copyOf(idsByKey.values());
    }

    boolean failed() {
        return problem != null;
    }

    String problem() {
        return problem;
    }

    void stop() throws InterruptedException {
        stop.set(true);
        for (Thread t : threads) {
            t.join(Duration.ofSeconds(30));
        }
    }
}
