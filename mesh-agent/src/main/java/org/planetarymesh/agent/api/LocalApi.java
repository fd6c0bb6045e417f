package org.planetarymesh.agent.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.planetarymesh.agent.metrics.AgentMetrics;
import org.planetarymesh.agent.runner.Admission;
import org.planetarymesh.agent.runner.CollectingJobListener;
import org.planetarymesh.agent.runner.JobRunner;
import org.planetarymesh.agent.runner.JobTicket;
import org.planetarymesh.agent.runner.Outcome;
import org.planetarymesh.core.job.ErrorCode;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.executor.Usage;

/**
 * The agent's local HTTP API (push mode): {@code GET /healthz}, open to anyone who can reach it, and
 * {@code POST /execute} {@code {job_id, type, payload, attempt?, timeout_ms?}}, which runs the job through the same
 * {@link JobRunner} (so the same capacity) and answers when it ends: {@code 200 {"status":"ok","job_id","result",
 * "executor","route_rule","duration_ms"}}, or {@code {"error":{"code","message"}}} with 400 (bad request or payload),
 * 422 (unsupported), 429 (out_of_capacity), 409 (already_running), 504 (timeout), 409 (cancelled) or 500.
 *
 * <p>{@code /execute} runs whatever the agent's executors allow (its allow-listed shell commands too), so it is off
 * unless the agent has an {@code execute_token}, and then answers only requests bearing it (401 otherwise).
 * {@code GET /metrics} (Prometheus) is off unless it has a {@code metrics_token}, and answers only requests bearing it.
 */
public final class LocalApi implements AutoCloseable {
    private final Javalin app;
    private final ObjectMapper mapper = Json.mapper();
    private final JobRunner runner;
    private final String nodeId;
    private final byte[] executeToken;
    private final Metrics metrics;

    /** What {@code GET /metrics} serves, and the token it requires (empty: {@code /metrics} is off). */
    public record Metrics(AgentMetrics meters, String token) {
        /** No metrics: {@code GET /metrics} answers 404 {@code metrics_off}. */
        public static final Metrics OFF = new Metrics(null, "");
    }

    private LocalApi(JobRunner runner, String nodeId, String host, int port, String executeToken, Metrics metrics) {
        this.runner = runner;
        this.nodeId = nodeId;
        this.executeToken = executeToken.getBytes(StandardCharsets.UTF_8);
        this.metrics = metrics;
        this.app = Javalin.create(config -> {
                    config.startup.showJavalinBanner = false;
                    config.jetty.host = host;
                    // /execute blocks until its job ends, so each waiting request should cost a virtual thread only.
                    config.concurrency.useVirtualThreads = true;
                    config.routes.get("/healthz", this::health);
                    config.routes.post("/execute", this::execute);
                    config.routes.get("/metrics", this::metrics);
                })
                .start(host, port);
    }

    /**
     * Starts listening on {@code host:port} (0 = any free port); {@code POST /execute} requires {@code executeToken}
     * as a bearer token, and is off if it is empty.
     */
    public static LocalApi start(JobRunner runner, String nodeId, String host, int port, String executeToken) {
        return start(runner, nodeId, host, port, executeToken, Metrics.OFF);
    }

    /** As {@link #start(JobRunner, String, String, int, String)}, serving {@code GET /metrics} as {@code metrics} says. */
    public static LocalApi start(
            JobRunner runner, String nodeId, String host, int port, String executeToken, Metrics metrics) {
        return new LocalApi(runner, nodeId, host, port, executeToken, metrics);
    }

    /** The port actually bound. */
    public int port() {
        return app.port();
    }

    private void health(Context ctx) throws JsonProcessingException {
        json(
                ctx,
                200,
                mapper.createObjectNode()
                        .put("status", runner.draining() ? "draining" : "ok")
                        .put("node_id", nodeId)
                        .put("load", runner.load()));
    }

    private void execute(Context ctx) throws Exception {
        if (executeToken.length == 0) {
            error(
                    ctx,
                    404,
                    "execute_off",
                    "POST /execute is off on this agent; start it with --execute-token TOKEN (or MESH_EXECUTE_TOKEN, or"
                            + " execute_token in agent.toml) and send Authorization: Bearer TOKEN");
            return;
        }
        if (!authorized(ctx.header("Authorization"))) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"mesh-agent\"");
            error(
                    ctx,
                    401,
                    "unauthorized",
                    "POST /execute needs the agent's execute token: send Authorization: Bearer TOKEN, the value of its"
                            + " --execute-token");
            return;
        }
        JsonNode body;
        try {
            body = mapper.readTree(ctx.body());
        } catch (JsonProcessingException e) {
            error(ctx, 400, "invalid_json", "body is not valid JSON: " + e.getOriginalMessage());
            return;
        }
        if (body == null || !body.isObject()) {
            error(ctx, 400, "invalid_request", "body must be a JSON object {job_id, type, payload}");
            return;
        }
        JsonNode type = body.get("type");
        if (type == null || !type.isTextual() || type.asText().isBlank()) {
            error(ctx, 400, "invalid_request", "'type' is required: the job type to run, e.g. \"echo\"");
            return;
        }
        JsonNode jobIdNode = body.get("job_id");
        if (jobIdNode != null && !jobIdNode.isTextual()) {
            error(ctx, 400, "invalid_request", "'job_id' must be a string");
            return;
        }
        String jobId = jobIdNode == null ? "local-" + UUID.randomUUID() : jobIdNode.asText();
        int attempt = body.path("attempt").asInt(1);
        long timeoutMs = body.path("timeout_ms").asLong(0);
        Instant deadline = timeoutMs > 0 ? Instant.now().plusMillis(timeoutMs) : null;
        CollectingJobListener listener = new CollectingJobListener();
        Admission admission =
                runner.submit(new JobTicket(jobId, attempt, type.asText(), body.get("payload"), deadline), listener);
        switch (admission) {
            case Admission.Rejected r -> {
                error(ctx, statusFor(r.code()), r.code().wireName(), r.message());
                return;
            }
            case Admission.AlreadyRunning a -> {
                error(
                        ctx,
                        409,
                        "already_running",
                        "job " + jobId + " attempt " + attempt
                                + " is already running on this agent; send another attempt number to run it again");
                return;
            }
            case Admission.Accepted a -> {}
        }
        Outcome outcome = await(listener.outcome());
        switch (outcome) {
            case Outcome.Done d -> {
                ObjectNode ok = mapper.createObjectNode().put("status", "ok").put("job_id", jobId);
                ok.set("result", d.result());
                ok.put("executor", d.executor())
                        .put("route_rule", d.routeRule())
                        .put("duration_ms", d.durationMs());
                if (!d.usage().equals(Usage.NONE)) {
                    ok.putObject("tokens")
                            .put("input", d.usage().tokensIn())
                            .put("output", d.usage().tokensOut());
                }
                json(ctx, 200, ok);
            }
            case Outcome.Failed f -> error(ctx, statusFor(f.code()), f.code().wireName(), f.message());
        }
    }

    /**
     * {@code GET /metrics}: Prometheus exposition of {@link AgentMetrics}. Off without a metrics token, like
     * {@code /execute}: the figures tell a local process what runs here, and only health checks are open.
     */
    private void metrics(Context ctx) throws Exception {
        if (metrics.meters() == null || metrics.token().isEmpty()) {
            error(
                    ctx,
                    404,
                    "metrics_off",
                    "GET /metrics is off on this agent; start it with --metrics-token TOKEN (or MESH_METRICS_TOKEN, or"
                            + " metrics_token in agent.toml) and send Authorization: Bearer TOKEN");
            return;
        }
        if (!bearer(ctx.header("Authorization"), metrics.token().getBytes(StandardCharsets.UTF_8))) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"mesh-agent\"");
            error(
                    ctx,
                    401,
                    "unauthorized",
                    "GET /metrics needs the agent's metrics token: send Authorization: Bearer TOKEN, the value of its"
                            + " --metrics-token");
            return;
        }
        String accept = ctx.header("Accept");
        String type = accept != null && accept.contains("application/openmetrics-text")
                ? AgentMetrics.OPEN_METRICS
                : AgentMetrics.PROMETHEUS_TEXT;
        ctx.status(200).contentType(type);
        metrics.meters().scrape(ctx.outputStream(), type);
    }

    private boolean authorized(String header) {
        return bearer(header, executeToken);
    }

    private static boolean bearer(String header, byte[] expected) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] presented = header.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        // Constant time, so the answer's timing does not reveal how much of a guess was right.
        return MessageDigest.isEqual(presented, expected);
    }

    private static Outcome await(CompletableFuture<Outcome> future) throws InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            return new Outcome.Failed(ErrorCode.INTERNAL, String.valueOf(e.getCause()), true, 0, 0);
        }
    }

    private static int statusFor(ErrorCode code) {
        return switch (code) {
            case INVALID_PAYLOAD -> 400;
            case UNSUPPORTED -> 422;
            case OUT_OF_CAPACITY -> 429;
            case TIMEOUT -> 504;
            case CANCELLED -> 409;
            case AGENT_STOPPING -> 503;
            default -> 500;
        };
    }

    private void error(Context ctx, int status, String code, String message) throws JsonProcessingException {
        ObjectNode body = mapper.createObjectNode();
        body.putObject("error").put("code", code).put("message", message);
        json(ctx, status, body);
    }

    private void json(Context ctx, int status, JsonNode body) throws JsonProcessingException {
        ctx.status(status).contentType("application/json").result(mapper.writeValueAsString(body));
    }

    @Override
    public void close() {
        app.stop();
    }
}
