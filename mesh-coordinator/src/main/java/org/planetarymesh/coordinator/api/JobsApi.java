package org.planetarymesh.coordinator.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.planetarymesh.coordinator.CoordinatorConfig;
import org.planetarymesh.coordinator.auth.Principal;
import org.planetarymesh.coordinator.auth.Role;
import org.planetarymesh.coordinator.events.JobEventHub;
import org.planetarymesh.coordinator.scheduler.CancelOutcome;
import org.planetarymesh.coordinator.scheduler.Scheduler;
import org.planetarymesh.core.job.FieldError;
import org.planetarymesh.core.job.InvalidSpecException;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobEvent;
import org.planetarymesh.core.job.JobIds;
import org.planetarymesh.core.job.JobSpec;
import org.planetarymesh.core.job.JobSpecParser;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.job.Scope;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.core.text.SafeText;
import org.planetarymesh.store.GroupCommitWriter;
import org.planetarymesh.store.JobStore;
import org.planetarymesh.store.JobStore.Outcome;
import org.planetarymesh.store.JobStore.Write;

/**
 * {@code /v1/jobs}: submit (one or a batch), list, get and cancel. A job is answered 201 only once its insert is
 * durable, so an acknowledged job survives a crash; the scheduler may already be placing it (see
 * {@link #storeAndSchedule}).
 */
final class JobsApi {

    private final CoordinatorConfig config;
    private final JobStore store;
    private final GroupCommitWriter writer;
    private final Scheduler scheduler;
    private final JobEventHub hub;

    JobsApi(CoordinatorConfig config, JobStore store, GroupCommitWriter writer, Scheduler scheduler, JobEventHub hub) {
        this.config = config;
        this.store = store;
        this.writer = writer;
        this.scheduler = scheduler;
        this.hub = hub;
    }

    void submit(Context ctx) {
        JobSpec spec = parse(Http.jsonBody(ctx, config.maxBodyBytes()), null);
        String headerKey = ctx.header("Idempotency-Key");
        if (headerKey != null) {
            if (headerKey.isBlank() || headerKey.length() > 256) {
                throw ApiException.badRequest("the Idempotency-Key header must be 1-256 characters");
            }
            String problem = SafeText.problem(headerKey);
            if (problem != null) {
                throw Http.invalidText("the Idempotency-Key header", "Idempotency-Key", problem);
            }
            if (spec.idempotencyKey() != null && !spec.idempotencyKey().equals(headerKey)) {
                throw new ApiException(
                        422,
                        "invalid_spec",
                        "the Idempotency-Key header and idempotency_key in the body differ; send one of them");
            }
            spec = spec.withIdempotencyKey(headerKey);
        }
        if (spec.idempotencyKey() != null) {
            var existing = store.findByIdempotencyKey(spec.idempotencyKey());
            if (existing.isPresent()) {
                Http.json(ctx, 200, existing.get());
                return;
            }
        }
        Job job = Job.submitted(JobIds.next(), spec, owner(ctx), Instant.now());
        List<Outcome> outcomes = await(storeAndSchedule(List.of(job)));
        if (outcomes.getFirst() == Outcome.CONFLICT) {
            Job original = store.findByIdempotencyKey(spec.idempotencyKey())
                    .orElseThrow(() -> new ApiException(409, "conflict", "the job conflicts with an existing one"));
            Http.json(ctx, 200, original);
            return;
        }
        Http.json(ctx, 201, job);
    }

    void submitBatch(Context ctx) {
        JsonNode body = Http.jsonBody(ctx, config.maxBodyBytes());
        JsonNode jobs = body.get("jobs");
        if (!body.isObject() || jobs == null || !jobs.isArray()) {
            throw new ApiException(422, "invalid_spec", "send {\"jobs\": [spec, ...]}");
        }
        if (jobs.isEmpty() || jobs.size() > config.maxBatchJobs()) {
            throw new ApiException(
                    jobs.isEmpty() ? 422 : 413,
                    jobs.isEmpty() ? "invalid_spec" : "batch_too_large",
                    "a batch holds 1 to " + config.maxBatchJobs() + " jobs (got " + jobs.size() + ")");
        }
        List<Map<String, Object>> problems = new ArrayList<>();
        List<Job> created = new ArrayList<>(jobs.size());
        Map<String, Integer> keys = new HashMap<>();
        Instant now = Instant.now();
        for (int i = 0; i < jobs.size(); i++) {
            try {
                JobSpec spec = parse(jobs.get(i), i);
                if (spec.idempotencyKey() != null) {
                    Integer first = keys.putIfAbsent(spec.idempotencyKey(), i);
                    if (first != null
                            || store.findByIdempotencyKey(spec.idempotencyKey()).isPresent()) {
                        problems.add(problem(
                                i,
                                "idempotency_key",
                                first != null
                                        ? "repeats the key of jobs[" + first + "]"
                                        : "is already used by an existing job"));
                        continue;
                    }
                }
                created.add(Job.submitted(JobIds.next(), spec, owner(ctx), now));
            } catch (ApiException e) {
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> details = (List<Map<String, Object>>) e.details();
                problems.addAll(details);
            }
        }
        if (!problems.isEmpty()) {
            throw new ApiException(
                    422,
                    "invalid_spec",
                    problems.size() + " problem(s) in the batch; nothing was "
                            + "submitted. First: jobs[" + problems.getFirst().get("index") + "]."
                            + problems.getFirst().get("field") + " "
                            + problems.getFirst().get("message"),
                    problems);
        }
        List<Outcome> outcomes = await(storeAndSchedule(created));
        if (outcomes.contains(Outcome.CONFLICT)) {
            throw new ApiException(
                    409,
                    "conflict",
                    "an idempotency key in the batch was used concurrently; "
                            + "the other jobs were stored; resubmit to get their ids");
        }
        Http.json(ctx, 201, Map.of("ids", created.stream().map(Job::id).toList()));
    }

    void list(Context ctx) {
        JobStatus status = enumParam(ctx, "status", JobStatus.class);
        Scope scope = enumParam(ctx, "scope", Scope.class);
        int limit = 100;
        String rawLimit = ctx.queryParam("limit");
        if (rawLimit != null) {
            try {
                limit = Integer.parseInt(rawLimit);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > 1000) {
                throw ApiException.badRequest("limit must be an integer between 1 and 1000 (got '" + rawLimit + "')");
            }
        }
        String cursor = ctx.queryParam("cursor");
        if (cursor != null
                && (cursor.length() > 200 || !cursor.matches("[A-Za-z0-9_-]*") || cursor.length() % 4 == 1)) {
            throw ApiException.badRequest("cursor is not one this API returned");
        }
        JobStore.Page page = store.list(new JobStore.JobQuery(
                status,
                ctx.queryParam("type"),
                ctx.queryParam("node"),
                scope == null ? null : scope.name(),
                ownerScope(ctx),
                limit,
                cursor));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("jobs", page.jobs());
        if (page.nextCursor() != null) {
            body.put("next_cursor", page.nextCursor());
        }
        Http.json(ctx, 200, body);
    }

    void get(Context ctx) {
        Http.json(ctx, 200, findVisible(ctx));
    }

    void cancel(Context ctx) {
        String id = ctx.pathParam("id");
        findVisible(ctx);
        CancelOutcome outcome = await(scheduler.cancel(id));
        switch (outcome) {
            case CancelOutcome.Cancelled c -> Http.json(ctx, 200, c.job());
            case CancelOutcome.AlreadyFinished f ->
                throw new ApiException(
                        409,
                        "invalid_transition",
                        "job " + id + " is already " + f.job().status() + " and cannot be cancelled");
            case CancelOutcome.NotFound n -> throw ApiException.notFound("no job with id " + id);
        }
    }

    /** Checks before an event stream opens, so an unknown id gets a 404 rather than an empty stream. */
    void requireJob(Context ctx) {
        findVisible(ctx);
    }

    /** The job named in the path, if the caller may see it: a {@code submit} token sees only the jobs it submitted. */
    private Job findVisible(Context ctx) {
        Job job = find(ctx.pathParam("id"));
        String scope = ownerScope(ctx);
        if (scope != null && !scope.equals(job.owner())) {
            throw new ApiException(
                    403,
                    "forbidden",
                    "job " + job.id() + " was submitted with another token; a token "
                            + "with role submit sees and cancels only its own jobs (use a read or admin token)");
        }
        return job;
    }

    /** The id of the token that makes this request, recorded as the owner of the jobs it submits. */
    private static String owner(Context ctx) {
        Principal principal = ctx.attribute(ApiServer.PRINCIPAL);
        return principal == null ? null : principal.tokenId();
    }

    /** The owner a request is limited to: its own token id for role {@code submit}, else null (sees every job). */
    static String ownerScope(Context ctx) {
        Principal principal = ctx.attribute(ApiServer.PRINCIPAL);
        return principal != null && principal.role() == Role.SUBMIT ? principal.tokenId() : null;
    }

    Job find(String id) {
        if (!JobIds.isValid(id)) {
            throw ApiException.notFound("no job with id " + id + " (job ids are UUIDv7 strings)");
        }
        return store.find(id).orElseThrow(() -> ApiException.notFound("no job with id " + id));
    }

    /**
     * Inserts {@code jobs} with their first event in one group commit; the outcomes are the inserts', one per job, in
     * order. The caller answers the client only once this completes, so an acknowledged job is durable.
     *
     * <p>Jobs without an idempotency key cannot conflict, so the scheduler gets them at once and may place them while
     * their insert commits: the insert is queued first, and the writer commits in order, so every write the scheduler
     * makes for them lands after it. That takes the fsync off submit-to-start. If the commit fails, they are cancelled
     * (the client was told nothing but the error); a crash before it may leave a job run that the client was never
     * told was accepted, which at-least-once allows. Jobs with a key wait for the commit, which may find a conflict.
     */
    private CompletableFuture<List<Outcome>> storeAndSchedule(List<Job> jobs) {
        List<Write> writes = new ArrayList<>(jobs.size() * 2);
        List<Job> placeNow = new ArrayList<>(jobs.size());
        for (Job job : jobs) {
            writes.add(new Write.Insert(job));
            writes.add(new Write.AppendEvent(JobEvent.status(job, hub.nextSeq())));
            if (job.spec().idempotencyKey() == null) {
                placeNow.add(job);
            }
        }
        CompletableFuture<List<Outcome>> committed = writer.submitAll(writes);
        if (!placeNow.isEmpty()) {
            scheduler.submitted(placeNow);
            committed.whenComplete((outcomes, error) -> {
                if (error != null) {
                    placeNow.forEach(job -> scheduler.cancel(job.id()));
                }
            });
        }
        return committed.thenApply(all -> {
            List<Outcome> inserts = new ArrayList<>(jobs.size());
            List<Job> storedWithKey = new ArrayList<>();
            for (int i = 0; i < jobs.size(); i++) {
                Outcome insert = all.get(2 * i);
                inserts.add(insert);
                if (insert == Outcome.APPLIED && jobs.get(i).spec().idempotencyKey() != null) {
                    storedWithKey.add(jobs.get(i));
                }
            }
            if (!storedWithKey.isEmpty()) {
                scheduler.submitted(storedWithKey);
            }
            return inserts;
        });
    }

    private JobSpec parse(JsonNode node, Integer index) {
        JobSpec spec;
        try {
            spec = JobSpecParser.parse(node);
        } catch (InvalidSpecException e) {
            List<Map<String, Object>> details =
                    e.errors().stream().map(f -> problem(index, f)).toList();
            String prefix = index == null ? "" : "jobs[" + index + "].";
            throw new ApiException(422, "invalid_spec", prefix + e.getMessage(), details);
        }
        // In UTF-8 bytes, as stored and sent; a character count let 2-byte text through at twice the limit.
        long payloadBytes = Json.encodedLength(spec.payload());
        if (payloadBytes > config.maxPayloadBytes()) {
            String where = index == null ? "payload" : "jobs[" + index + "].payload";
            throw new ApiException(
                    413,
                    "payload_too_large",
                    where + " is " + payloadBytes + " bytes; the limit is " + config.maxPayloadBytes(),
                    List.of(problem(index, "payload", "is too large")));
        }
        return spec;
    }

    private static Map<String, Object> problem(Integer index, FieldError error) {
        return problem(index, error.field(), error.message());
    }

    private static Map<String, Object> problem(Integer index, String field, String message) {
        Map<String, Object> problem = new LinkedHashMap<>();
        if (index != null) {
            problem.put("index", index);
        }
        problem.put("field", field);
        problem.put("message", message);
        return problem;
    }

    private static <E extends Enum<E>> E enumParam(Context ctx, String name, Class<E> type) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        try {
            return Enum.valueOf(type, raw.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(name + " must be one of " + java.util.Arrays.toString(type.getEnumConstants())
                    + " (got '" + raw + "')");
        }
    }

    static <T> T await(java.util.concurrent.CompletableFuture<T> future) {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "unavailable", "the coordinator is shutting down");
        } catch (ExecutionException e) {
            throw new ApiException(
                    503,
                    "store_unavailable",
                    "the store could not commit the request: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new ApiException(503, "store_unavailable", "the store did not commit within 30 s; retry");
        }
    }
}
