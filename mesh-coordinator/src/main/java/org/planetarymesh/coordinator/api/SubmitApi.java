package org.planetarymesh.coordinator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.planetarymesh.coordinator.CoordinatorConfig;
import org.planetarymesh.coordinator.auth.Principal;
import org.planetarymesh.coordinator.events.JobEventHub;
import org.planetarymesh.coordinator.federation.ForeignJobPolicy;
import org.planetarymesh.coordinator.scheduler.Scheduler;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobIds;
import org.planetarymesh.core.job.JobSpec;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.core.text.SafeText;
import org.planetarymesh.store.GroupCommitWriter;
import org.planetarymesh.store.JobStore;
import org.planetarymesh.store.JobStore.Outcome;

/**
 * {@code POST /v1/jobs} and {@code POST /v1/jobs/batch}: a job is answered 201 only once its insert is durable, so an
 * acknowledged job survives a crash; the scheduler may already be placing it (see {@link JobIntake}). A repeated
 * idempotency key answers the job it made; while the store is down the request waits at the {@link StoreGate}.
 */
final class SubmitApi {

    private final CoordinatorConfig config;
    private final JobStore store;
    private final Scheduler scheduler;
    private final StoreGate gate;
    private final SpecChecks specs;
    private final JobIntake intake;
    private final ForeignJobPolicy foreign;

    SubmitApi(
            CoordinatorConfig config,
            JobStore store,
            GroupCommitWriter writer,
            Scheduler scheduler,
            JobEventHub hub,
            StoreGate gate) {
        this.config = config;
        this.store = store;
        this.scheduler = scheduler;
        this.gate = gate;
        this.specs = new SpecChecks(config.maxPayloadBytes());
        this.intake = new JobIntake(writer, scheduler, hub);
        this.foreign = new ForeignJobPolicy(config.federation());
    }

    void submit(Context ctx) {
        JobSpec spec = specs.parse(Http.jsonBody(ctx, config.maxBodyBytes()), null);
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
        if (dryRun(ctx)) {
            Map<String, Object> answer = new java.util.LinkedHashMap<>();
            answer.put("valid", true);
            answer.put("spec", spec);
            answer.put("warnings", SubmitWarnings.of(spec, scheduler.nodes()));
            Http.json(ctx, 200, answer);
            return;
        }
        if (spec.idempotencyKey() != null) {
            var existing = store.findByIdempotencyKey(spec.idempotencyKey());
            if (existing.isPresent()) {
                Http.json(ctx, 200, sameRequest(existing.get(), spec));
                return;
            }
        }
        foreign.check(spec, scheduler.nodes(), Instant.now()); // a job handed over by another mesh: delegation
        Job job = Job.submitted(JobIds.next(), spec, owner(ctx), Instant.now());
        List<Outcome> outcomes = gate.await(intake.storeAndSchedule(List.of(job)), pendingJob(job));
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
     * made. The deadline and start time may differ: a client that computes them from "now" (or sends {@code delay_ms})
     * sends new ones on every retry.
     */
    private static Job sameRequest(Job existing, JobSpec spec) {
        if (!existing.spec()
                .withDeadline(null)
                .withRunAt(null)
                .equals(spec.withDeadline(null).withRunAt(null))) {
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
                JobSpec spec = specs.parse(jobs.get(i), i);
                if (spec.network() != null) {
                    problems.add(SpecChecks.problem(
                            i, "network", "a job from another mesh is handed over alone, with POST /v1/jobs"));
                    continue;
                }
                if (spec.idempotencyKey() != null) {
                    Integer first = keys.putIfAbsent(spec.idempotencyKey(), i);
                    if (first != null
                            || store.findByIdempotencyKey(spec.idempotencyKey()).isPresent()) {
                        problems.add(SpecChecks.problem(
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
                intake.storeAndSchedule(created),
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

    /**
     * Whether the request only asks whether its spec would be accepted ({@code ?dry_run=true}): it is checked exactly
     * as a submit is, and answered {@code 200 {"valid": true, "spec", "warnings"}} or the submit's own error, but
     * nothing is stored or run. The dashboard's creation wizard validates with it as the user types.
     */
    private static boolean dryRun(Context ctx) {
        String raw = ctx.queryParam("dry_run");
        if (raw == null || raw.equals("false")) {
            return false;
        }
        if (raw.equals("true") || raw.isEmpty()) {
            return true;
        }
        throw ApiException.badRequest("dry_run must be true or false (got '" + raw + "')");
    }

    /** The id of the token that makes this request, recorded as the owner of the jobs it submits. */
    private static String owner(Context ctx) {
        Principal principal = ctx.attribute(ApiServer.PRINCIPAL);
        return principal == null ? null : principal.tokenId();
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
