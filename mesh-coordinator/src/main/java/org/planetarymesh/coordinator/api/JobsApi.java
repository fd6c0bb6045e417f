package org.planetarymesh.coordinator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
import org.planetarymesh.core.job.JobTypes;
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
    private final StoreGate gate;

    JobsApi(
            CoordinatorConfig config,
            JobStore store,
            GroupCommitWriter writer,
            Scheduler scheduler,
            JobEventHub hub,
            StoreGate gate) {
        this.config = config;
        this.store = store;
        this.writer = writer;
        this.scheduler = scheduler;
        this.hub = hub;
        this.gate = gate;
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
                Http.json(ctx, 200, sameRequest(existing.get(), spec));
                return;
            }
        }
        Job job = Job.submitted(JobIds.next(), spec, owner(ctx), Instant.now());
        List<Outcome> outcomes = gate.await(storeAndSchedule(List.of(job)), pendingJob(job));
        if (outcomes.getFirst() == Outcome.CONFLICT) {
            // A new id conflicts only with itself: the writer retried a commit whose answer was lost, but which had
            // been applied. The job is stored; one with a key still needs the hand-over the conflict skipped.
            Job original = spec.idempotencyKey() == null
                    ? job
                    : store.findByIdempotencyKey(spec.idempotencyKey())
                            .orElseThrow(
                                    () -> new ApiException(409, "conflict", "the job conflicts with an existing one"));
            if (original.id().equals(job.id())) {
                if (spec.idempotencyKey() != null) {
                    scheduler.submitted(List.of(job));
                }
                ctx.header("Location", "/v1/jobs/" + job.id());
                Http.json(ctx, 201, job);
                return;
            }
            Http.json(ctx, 200, sameRequest(original, spec));
            return;
        }
        ctx.header("Location", "/v1/jobs/" + job.id());
        Http.json(ctx, 201, withWarnings(job, SubmitWarnings.of(spec, scheduler.nodes())));
    }

    /**
     * The job a repeated idempotency key names, if this request asks for the same job; 409 if the key was used for
     * another spec (as Stripe-style APIs answer), since returning the old job would hide that the new one was never
     * made. The deadline may differ: a client that computes it from "now" sends a new one on every retry.
     */
    private static Job sameRequest(Job existing, JobSpec spec) {
        if (!existing.spec().withDeadline(null).equals(spec.withDeadline(null))) {
            throw new ApiException(
                    409,
                    "idempotency_key_reused",
                    "the idempotency key '" + spec.idempotencyKey() + "' was already used for job " + existing.id()
                            + " with a different spec; use a new key for a new job, or resend the same spec to get"
                            + " that job");
        }
        return existing;
    }

    /** The job as answered, with a {@code warnings} array when there is something to warn about. */
    private static Object withWarnings(Job job, List<String> warnings) {
        if (warnings.isEmpty()) {
            return job;
        }
        ObjectNode answer = Json.mapper().valueToTree(job);
        warnings.forEach(answer.putArray("warnings")::add);
        return answer;
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
        List<Outcome> outcomes = gate.await(
                storeAndSchedule(created),
                "the batch's " + created.size() + " jobs (" + created.getFirst().id() + " to "
                        + created.getLast().id() + ") are queued and will be stored and run when the store is back;"
                        + " do not resubmit them, or they run twice");
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
        JobStore.Page page = listPage(ctx, status, scope, limit, cursor);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("jobs", page.jobs());
        if (page.nextCursor() != null) {
            body.put("next_cursor", page.nextCursor());
        }
        Http.json(ctx, 200, body);
    }

    private JobStore.Page listPage(Context ctx, JobStatus status, Scope scope, int limit, String cursor) {
        try {
            return store.list(new JobStore.JobQuery(
                    status,
                    ctx.queryParam("type"),
                    ctx.queryParam("node"),
                    scope == null ? null : scope.name(),
                    ownerScope(ctx),
                    limit,
                    cursor));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("cursor is not one this API returned; pass back a next_cursor unchanged");
        }
    }

    void get(Context ctx) {
        Http.json(ctx, 200, findVisible(ctx));
    }

    void cancel(Context ctx) {
        String id = ctx.pathParam("id");
        findVisible(ctx);
        CancelOutcome outcome = gate.await(
                scheduler.cancel(id),
                "the cancellation of job " + id + " is queued and will be stored when the store is back");
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
     * makes for them lands after it. That takes the fsync off submit-to-start. The writer retries a commit while the
     * store is unavailable; if it fails for good, the scheduler forgets them (the client was told nothing but the
     * error, and they are not counted in the stats); a crash before it may leave a job run that the client was never
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
                    scheduler.notStored(placeNow.stream().map(Job::id).toList());
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
        var notYet = JobTypes.notRunnableYet(spec.type());
        if (notYet.isPresent()) {
            String where = index == null ? "type" : "jobs[" + index + "].type";
            throw new ApiException(
                    422,
                    "invalid_spec",
                    where + ": '" + spec.type() + "' jobs cannot run on this mesh: " + notYet.get(),
                    List.of(problem(index, "type", "'" + spec.type() + "' cannot run yet: " + notYet.get())));
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

    /**
     * What a client whose submit was not confirmed should know: its job is queued and will be stored and run, so a
     * retry must carry the same idempotency key (which then answers this job) or it runs twice.
     */
    private static String pendingJob(Job job) {
        String key = job.spec().idempotencyKey();
        return "job " + job.id() + " is queued and will be stored and run when the store is back; "
                + (key != null
                        ? "resubmit with the same Idempotency-Key to get it"
                        : "do not resubmit it (it would run twice): GET /v1/jobs/" + job.id()
                                + " once /healthz is 200");
    }
}
