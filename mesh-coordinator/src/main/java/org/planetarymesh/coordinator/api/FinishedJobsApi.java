package org.planetarymesh.coordinator.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.planetarymesh.coordinator.CoordinatorConfig;
import org.planetarymesh.coordinator.retention.JobDeletion;
import org.planetarymesh.coordinator.scheduler.RetryOutcome;
import org.planetarymesh.coordinator.scheduler.Scheduler;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.store.FinishedJobs;
import org.planetarymesh.store.JobStore;

/**
 * What may be done with a finished job: retry it ({@code POST /v1/jobs/{id}/retry}), retry many by filter
 * ({@code POST /v1/jobs/retry}), delete it ({@code DELETE /v1/jobs/{id}}). A {@code submit} token may do each only to
 * its own jobs.
 */
final class FinishedJobsApi {

    static final int DEFAULT_BULK_LIMIT = 100;
    static final int MAX_BULK_LIMIT = 1_000;
    // A bulk retry reads at most this many candidates, so a filter matching little in a large store stays bounded.
    static final int MAX_BULK_SCAN = 10_000;
    private static final Set<String> BULK_FIELDS = Set.of("status", "type", "since", "limit");

    private final CoordinatorConfig config;
    private final JobsApi jobs;
    private final JobStore store;
    private final Scheduler scheduler;
    private final JobDeletion deletion;
    private final StoreGate gate;

    FinishedJobsApi(
            CoordinatorConfig config,
            JobsApi jobs,
            JobStore store,
            Scheduler scheduler,
            JobDeletion deletion,
            StoreGate gate) {
        this.config = config;
        this.jobs = jobs;
        this.store = store;
        this.scheduler = scheduler;
        this.deletion = deletion;
        this.gate = gate;
    }

    void retry(Context ctx) {
        String id = ctx.pathParam("id");
        jobs.findVisible(ctx);
        RetryOutcome outcome = gate.await(
                scheduler.retry(id), "the retry of job " + id + " is queued and will be stored when the store is back");
        switch (outcome) {
            case RetryOutcome.Retried r -> Http.json(ctx, 200, r.job());
            case RetryOutcome.NotRetryable n -> throw new ApiException(409, "invalid_transition", n.why());
            case RetryOutcome.NotFound n -> throw ApiException.notFound("no job with id " + id);
        }
    }

    void delete(Context ctx) {
        Job job = jobs.findVisible(ctx);
        if (!job.status().isTerminal()) {
            throw new ApiException(
                    409,
                    "invalid_transition",
                    "job " + job.id() + " is " + job.status() + "; only finished jobs can be deleted (cancel it"
                            + " first: POST /v1/jobs/" + job.id() + "/cancel)");
        }
        List<String> deleted = gate.await(
                deletion.delete(List.of(FinishedJobs.Finished.of(job))),
                "the deletion of job " + job.id() + " is queued and will be stored when the store is back");
        if (deleted.isEmpty()) {
            Job now = jobs.find(job.id()); // 404 if it went meanwhile
            throw new ApiException(
                    409,
                    "invalid_transition",
                    "job " + job.id() + " is " + now.status() + " (it was retried meanwhile); only finished jobs can"
                            + " be deleted");
        }
        ctx.status(204);
    }

    /** {@code POST /v1/jobs/retry {"status", "type", "since", "limit"}}: retries up to {@code limit} matching jobs. */
    void retryMany(Context ctx) {
        BulkFilter filter = bulkFilter(Http.jsonBody(ctx, config.maxBodyBytes()));
        String owner = JobsApi.ownerScope(ctx);
        List<String> candidates = new ArrayList<>();
        boolean more = false;
        int scanned = 0;
        for (JobStatus status : filter.statuses()) {
            String cursor = null;
            do {
                JobStore.Page page = store.list(
                        new JobStore.JobQuery(status, filter.type(), null, null, owner, MAX_BULK_LIMIT, cursor));
                for (Job job : page.jobs()) {
                    if (filter.since() == null
                            || job.finishedAt() != null && !job.finishedAt().isBefore(filter.since())) {
                        if (candidates.size() == filter.limit()) {
                            more = true;
                            break;
                        }
                        candidates.add(job.id());
                    }
                }
                scanned += page.jobs().size();
                cursor = page.nextCursor();
                more |= cursor != null && scanned >= MAX_BULK_SCAN;
            } while (cursor != null && !more && scanned < MAX_BULK_SCAN);
        }
        List<CompletableFuture<RetryOutcome>> replies = new ArrayList<>();
        candidates.forEach(id -> replies.add(scheduler.retry(id)));
        List<String> retried = new ArrayList<>();
        List<Map<String, String>> skipped = new ArrayList<>();
        for (int i = 0; i < replies.size(); i++) {
            RetryOutcome outcome = gate.await(replies.get(i), "the retries are queued and will be stored later");
            switch (outcome) {
                case RetryOutcome.Retried r -> retried.add(r.job().id());
                case RetryOutcome.NotRetryable n -> skipped.add(Map.of("id", candidates.get(i), "reason", n.why()));
                case RetryOutcome.NotFound n -> skipped.add(Map.of("id", candidates.get(i), "reason", "deleted"));
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("retried", retried);
        body.put("count", retried.size());
        body.put("skipped", skipped);
        body.put("more", more);
        Http.json(ctx, 200, body);
    }

    /** The filter of a bulk retry; every status retryable unless one is named. */
    record BulkFilter(List<JobStatus> statuses, String type, Instant since, int limit) {}

    static BulkFilter bulkFilter(JsonNode body) {
        if (!body.isObject()) {
            throw invalid("the body must be a JSON object: {\"status\", \"type\", \"since\", \"limit\"}, all optional");
        }
        body.fieldNames().forEachRemaining(name -> {
            if (!BULK_FIELDS.contains(name)) {
                throw invalid("unknown field '" + name + "'; a bulk retry takes status, type, since and limit");
            }
        });
        List<JobStatus> statuses = new ArrayList<>(JobStatus.retryable());
        JsonNode status = body.path("status");
        if (!status.isMissingNode()) {
            JobStatus named = null;
            try {
                named = status.isTextual() ? JobStatus.valueOf(status.asText().toUpperCase(Locale.ROOT)) : null;
            } catch (IllegalArgumentException e) {
                named = null;
            }
            if (named == null || !named.canRetry()) {
                throw invalid("status must be one of FAILED, TIMED_OUT, CANCELLED (got " + status + ")");
            }
            statuses = List.of(named);
        }
        JsonNode type = body.path("type");
        if (!type.isMissingNode() && (!type.isTextual() || type.asText().isEmpty())) {
            throw invalid("type must be a non-empty string (a job type such as \"shell\")");
        }
        Instant since = null;
        JsonNode rawSince = body.path("since");
        if (!rawSince.isMissingNode()) {
            try {
                since = Instant.parse(rawSince.asText());
            } catch (DateTimeParseException e) {
                throw invalid("since must be an ISO-8601 instant such as 2026-01-31T12:00:00Z (got " + rawSince + ")");
            }
        }
        JsonNode limit = body.path("limit");
        int n = DEFAULT_BULK_LIMIT;
        if (!limit.isMissingNode()) {
            if (!limit.isIntegralNumber() || limit.asLong() < 1 || limit.asLong() > MAX_BULK_LIMIT) {
                throw invalid("limit must be an integer between 1 and " + MAX_BULK_LIMIT + " (got " + limit + ")");
            }
            n = limit.asInt();
        }
        return new BulkFilter(statuses, type.isMissingNode() ? null : type.asText(), since, n);
    }

    private static ApiException invalid(String message) {
        return new ApiException(422, "invalid_filter", message);
    }
}
