package org.planetarymesh.coordinator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.planetarymesh.coordinator.receipt.SpecCid;
import org.planetarymesh.core.identity.SigningKey;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.core.receipt.ReceiptLog;
import org.planetarymesh.store.ReceiptLogStore;

/**
 * Execution receipts: one job's ({@code GET /v1/jobs/{id}/receipt}) and the hash-chained log from a sequence number
 * ({@code GET /v1/receipts?from=N}). An export ends with a checkpoint the coordinator signs with its own key
 * ({@code <data dir>/identity/coordinator.key}) at the time of the request, over the last entry it returns, so
 * {@code mesh receipt verify-log} can tell a rewritten log from the one this coordinator keeps.
 */
final class ReceiptsApi {

    static final int MAX_LIMIT = 10_000;

    private final ReceiptLogStore log;
    private final JobsApi jobs;
    private final SigningKey key;

    ReceiptsApi(ReceiptLogStore log, JobsApi jobs, SigningKey key) {
        this.log = log;
        this.jobs = jobs;
        this.key = key;
    }

    void forJob(Context ctx) {
        Job job = jobs.visible(ctx);
        ReceiptLogStore.StoredEntry entry = log.forJob(job.id())
                .orElseThrow(() -> new ApiException(
                        404,
                        "no_receipt",
                        "job " + job.id() + " has no receipt: it is " + job.status()
                                + (job.status().isTerminal()
                                        ? " (receipts come only with COMPLETED jobs run by agents with a key, while the"
                                                + " coordinator's receipts setting is on; push-mode nodes send none)"
                                        : "; its receipt comes when it completes")));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("job_id", job.id());
        body.put("receipt_cid", entry.receiptCid());
        body.put("spec_cid", SpecCid.of(job.spec()));
        body.put("receipt", parse(entry.receipt()));
        body.put("log", logPosition(entry));
        Http.json(ctx, 200, body);
    }

    void export(Context ctx) {
        if (JobsApi.ownerScope(ctx) != null) {
            throw new ApiException(
                    403,
                    "forbidden",
                    "the receipt log names every job; a token with role submit sees only its own (use a read token,"
                            + " or GET /v1/jobs/{id}/receipt)");
        }
        long from = number(ctx, "from", 1, Long.MAX_VALUE, 1);
        int limit = (int) number(ctx, "limit", 1, MAX_LIMIT, 1000);
        List<ReceiptLogStore.StoredEntry> stored = log.from(from, limit);
        List<ReceiptLog.Entry> entries = new ArrayList<>(stored.size());
        for (ReceiptLogStore.StoredEntry e : stored) {
            entries.add(
                    new ReceiptLog.Entry(e.seq(), e.jobId(), e.receiptCid(), e.prev(), e.hash(), parse(e.receipt())));
        }
        ReceiptLogStore.StoredEntry last = stored.isEmpty() ? log.head().orElse(null) : stored.getLast();
        long seq = last == null ? 0 : last.seq();
        String hash = last == null ? ReceiptLog.GENESIS : last.hash();
        String signedAt = Instant.now().toString();
        byte[] signature = key.sign(ReceiptLog.checkpointBytes(seq, hash, signedAt, key.did()));
        ReceiptLog.Checkpoint checkpoint = new ReceiptLog.Checkpoint(
                seq, hash, signedAt, key.did(), Base64.getEncoder().encodeToString(signature));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("entries", entries);
        body.put("checkpoint", checkpoint);
        if (stored.size() == limit) {
            body.put("next_from", stored.getLast().seq() + 1);
        }
        Http.json(ctx, 200, body);
    }

    private static Map<String, Object> logPosition(ReceiptLogStore.StoredEntry entry) {
        Map<String, Object> position = new LinkedHashMap<>();
        position.put("seq", entry.seq());
        position.put("prev", entry.prev());
        position.put("hash", entry.hash());
        position.put(
                "recorded_at", Instant.ofEpochMilli(entry.recordedAtMillis()).toString());
        return position;
    }

    private static long number(Context ctx, String name, long min, long max, long absent) {
        String raw = ctx.queryParam(name);
        if (raw == null) {
            return absent;
        }
        try {
            long value = Long.parseLong(raw);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badRequest(
                name + " must be an integer between " + min + " and " + max + " (got '" + raw + "')");
    }

    private static JsonNode parse(String stored) {
        try {
            return Json.mapper().readTree(stored);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored receipt is not JSON", e);
        }
    }
}
