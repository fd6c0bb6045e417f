package org.planetarymesh.coordinator.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.planetarymesh.coordinator.auth.Principal;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.store.JobStore;

/**
 * Caps the unfinished jobs each API token may have submitted ({@code maxQueuedJobsPerToken}); beyond it a submit is
 * answered 429. The ids a token submitted are remembered in memory, seeded on the token's first submit from the store
 * (which records each job's owner), so a coordinator restart does not reset the count; finished ones are pruned from
 * the store only when a token reaches its cap, so the check costs nothing below it. The admin token file is exempt.
 */
final class QueuedJobLimit {

    private static final int PAGE = 1_000;

    private final int limit;
    private final long maxBodyBytes;
    private final JobStore store;
    private final Map<String, Set<String>> outstanding = new ConcurrentHashMap<>();

    QueuedJobLimit(int limit, long maxBodyBytes, JobStore store) {
        this.limit = limit;
        this.maxBodyBytes = maxBodyBytes;
        this.store = store;
    }

    /** Runs {@code handler} unless the caller is at its cap; {@code count} jobs are about to be submitted (-1: batch). */
    void guard(Context ctx, int count, Handler handler) throws Exception {
        Principal principal = ctx.attribute(ApiServer.PRINCIPAL);
        if (principal == null || principal.tokenId().equals(Principal.ADMIN_FILE_ID)) {
            handler.handle(ctx);
            return;
        }
        Set<String> ids = outstanding.computeIfAbsent(principal.tokenId(), this::unfinishedInStore);
        int adding = count > 0 ? count : batchSize(ctx);
        if (ids.size() + adding > limit) {
            prune(ids);
        }
        if (ids.size() + adding > limit) {
            throw new ApiException(
                    429,
                    "too_many_queued_jobs",
                    "token " + principal.tokenId() + " has " + ids.size() + " unfinished jobs and the limit is " + limit
                            + " per token; wait for some to finish (or cancel them), or raise the coordinator's"
                            + " max queued jobs per token");
        }
        handler.handle(ctx);
        if (ctx.statusCode() == 201) {
            record(ctx, ids);
        }
    }

    /** The token's unfinished jobs in the store, read once per token and at most one page past the cap. */
    private Set<String> unfinishedInStore(String tokenId) {
        Set<String> ids = ConcurrentHashMap.newKeySet();
        for (JobStatus status : JobStatus.values()) {
            String cursor = null;
            // Bounded: stops one page after the cap is passed, or when the status has no more jobs of this token.
            while (!status.isTerminal() && ids.size() <= limit) {
                JobStore.Page page = store.list(new JobStore.JobQuery(status, null, null, null, tokenId, PAGE, cursor));
                page.jobs().forEach(job -> ids.add(job.id()));
                cursor = page.nextCursor();
                if (cursor == null) {
                    break;
                }
            }
        }
        return ids;
    }

    private void prune(Set<String> ids) {
        // Bounded by the limit: one store lookup per remembered id.
        ids.removeIf(id -> store.find(id).map(job -> job.status().isTerminal()).orElse(true));
    }

    private int batchSize(Context ctx) {
        try {
            JsonNode jobs = Json.mapper().readTree(Http.body(ctx, maxBodyBytes)).path("jobs");
            return jobs.isArray() ? Math.max(1, jobs.size()) : 1;
        } catch (Exception e) {
            return 1; // the handler will answer the malformed body
        }
    }

    private static void record(Context ctx, Set<String> ids) {
        try {
            java.io.InputStream in = ctx.resultInputStream();
            if (in == null) {
                return;
            }
            byte[] answer = in.readAllBytes();
            ctx.result(answer);
            JsonNode body = Json.mapper().readTree(answer);
            if (body.has("ids")) {
                body.get("ids").forEach(id -> ids.add(id.asText()));
            } else if (body.hasNonNull("id")) {
                ids.add(body.get("id").asText());
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read the submit answer", e);
        }
    }
}
