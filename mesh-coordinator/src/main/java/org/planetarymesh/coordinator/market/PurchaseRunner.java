package org.planetarymesh.coordinator.market;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobIds;
import org.planetarymesh.core.job.JobSpec;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.job.Requirements;
import org.planetarymesh.core.job.RetryPolicy;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.store.JobStore;
import org.planetarymesh.store.JobStore.Outcome;
import org.planetarymesh.store.market.MarketStore;
import org.planetarymesh.store.market.Offering;
import org.planetarymesh.store.market.Purchase;
import org.planetarymesh.store.market.PurchaseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs accepted purchases as mesh jobs on the seller's node and settles their ends, on one thread ({@code
 * mesh-market}). Everything it acts on is durable: a purchase's status, and its job (keyed {@code
 * purchase:<id>:<attempt>}, so submitting it again finds the same job). A sweep every half second therefore redoes
 * whatever a crash or a failed settlement left undone — auto-accepts, expiries, job submissions, settlements of jobs
 * that ended — and each of those lands at most once (the store's transition table and movement keys).
 */
final class PurchaseRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PurchaseRunner.class);
    /** No purchase's job runs longer than this, whatever its offering's latency. */
    static final long MAX_RUN_MS = 120_000;
    /** The label the scheduler matches against a node's proven id: the job runs on the seller's own node. */
    static final String NODE_LABEL = "mesh.node";

    private static final String KEY_PREFIX = "purchase:";
    private static final long SWEEP_MS = 500;
    private static final int SWEEP_BATCH = 500;

    private final MarketStore store;
    private final Settlement settlement;
    private final JobStore jobs;
    private final Function<List<Job>, CompletableFuture<List<Outcome>>> intake;
    private final InstantSource clock;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mesh-market");
        t.setDaemon(true);
        return t;
    });

    PurchaseRunner(
            MarketStore store,
            Settlement settlement,
            JobStore jobs,
            Function<List<Job>, CompletableFuture<List<Outcome>>> intake,
            InstantSource clock) {
        this.store = store;
        this.settlement = settlement;
        this.jobs = jobs;
        this.intake = intake;
        this.clock = clock;
    }

    void start() {
        thread.scheduleWithFixedDelay(this::sweep, 0, SWEEP_MS, TimeUnit.MILLISECONDS);
    }

    /** A purchase was accepted: run its job soon. */
    void accepted(String purchaseId) {
        thread.execute(() -> guarded("deliver " + purchaseId, () -> deliver(purchaseId)));
    }

    /** A job ended (its end committed); settles its purchase if it is one. */
    void jobEnded(Job job) {
        String key = job.spec().idempotencyKey();
        if (key != null && key.startsWith(KEY_PREFIX)) {
            thread.execute(() -> guarded("settle job " + job.id(), () -> settleEnd(job)));
        }
    }

    private void sweep() {
        guarded("sweep", () -> {
            long now = clock.millis();
            for (Purchase p : store.inStatus(PurchaseStatus.CREATED, SWEEP_BATCH)) {
                if (p.acceptBy() <= now) {
                    settlement.expire(p.id());
                } else if (store.offering(p.offeringId())
                        .map(Offering::autoAccept)
                        .orElse(false)) {
                    settlement.accept(p.id());
                }
            }
            for (Purchase p : store.inStatus(PurchaseStatus.ACCEPTED, SWEEP_BATCH)) {
                deliver(p.id());
            }
            for (Purchase p : store.inStatus(PurchaseStatus.DELIVERING, SWEEP_BATCH)) {
                Optional<Job> job = p.jobId() == null ? Optional.empty() : jobs.find(p.jobId());
                if (job.isPresent() && job.get().status().isTerminal()) {
                    settleEnd(job.get());
                }
            }
        });
    }

    /** ACCEPTED: submits the attempt's job (or finds it, if a crash came between) and moves to DELIVERING. */
    private void deliver(String purchaseId) {
        Purchase p = store.purchase(purchaseId).orElse(null);
        if (p == null || p.status() != PurchaseStatus.ACCEPTED) {
            return;
        }
        Offering offering = store.offering(p.offeringId()).orElseThrow();
        String key = KEY_PREFIX + p.id() + ":" + p.attempt();
        Job job = jobs.findByIdempotencyKey(key).orElse(null);
        if (job == null) {
            Job fresh =
                    Job.submitted(JobIds.next(), spec(p, offering, key), null, Instant.ofEpochMilli(clock.millis()));
            Outcome inserted = intake.apply(List.of(fresh)).join().getFirst();
            job = inserted == Outcome.APPLIED
                    ? fresh
                    : jobs.findByIdempotencyKey(key).orElseThrow();
        }
        settlement.delivering(p.id(), job.id());
        if (job.status().isTerminal()) {
            settleEnd(job);
        }
    }

    private static JobSpec spec(Purchase p, Offering offering, String key) {
        JsonNode payload;
        try {
            payload = p.payload() == null ? null : Json.mapper().readTree(p.payload());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("purchase " + p.id() + " has a payload that is not JSON", e);
        }
        return JobSpec.of(offering.capability(), payload)
                .withRequirements(new Requirements(List.of(), null, Map.of(NODE_LABEL, p.seller()), null))
                .withTimeoutMs(Math.min(offering.maxLatencyMs(), MAX_RUN_MS))
                .withRetry(new RetryPolicy(1, null))
                .withIdempotencyKey(key);
    }

    /** A purchase's job ended: COMPLETED releases escrow; anything else is a dispute with the job's error. */
    private void settleEnd(Job job) {
        String[] parts =
                job.spec().idempotencyKey().substring(KEY_PREFIX.length()).split(":");
        String purchaseId = parts[0];
        int attempt = Integer.parseInt(parts[1]);
        Purchase p = store.purchase(purchaseId).orElse(null);
        if (p == null
                || p.attempt() != attempt
                || (p.status() != PurchaseStatus.DELIVERING && p.status() != PurchaseStatus.ACCEPTED)) {
            return; // settled already, or a stale end of an earlier attempt
        }
        if (job.status() == JobStatus.COMPLETED) {
            settlement.complete(purchaseId, deliverables(job));
        } else {
            settlement.fail(purchaseId, errorContext(job));
        }
    }

    private static String deliverables(Job job) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("job_id", job.id());
        d.put("node_id", job.nodeId());
        d.put("result", job.result());
        d.put("receipt_cid", job.receiptCid());
        return Json.mapper().valueToTree(d).toString();
    }

    private static String errorContext(Job job) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("job_id", job.id());
        e.put("status", job.status().name());
        e.put("node_id", job.nodeId());
        e.put("code", job.error() == null ? null : job.error().code());
        e.put("message", job.error() == null ? null : job.error().message());
        return Json.mapper().valueToTree(e).toString();
    }

    /** A failure here (a store outage, say) is logged and left to the next sweep, which finds the work again. */
    private static void guarded(String what, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            LOG.warn("market: could not {} (the sweep retries it): {}", what, e.toString());
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
