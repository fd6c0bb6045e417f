package org.planetarymesh.coordinator.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.planetarymesh.coordinator.scheduler.Scheduler;
import org.planetarymesh.core.job.ErrorCode;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.core.protocol.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Push mode: a node registered by address, which the coordinator calls on {@code POST /execute} for each
 * job and probes on {@code GET /healthz} for liveness. Its HTTP answers are turned into the same protocol messages a
 * WebSocket agent would send, so the scheduler treats both kinds of node alike.
 */
final class PushLink implements NodeLink {

    private static final Logger LOG = LoggerFactory.getLogger(PushLink.class);

    private final String nodeId;
    private final String baseUrl;
    private final String token;
    private final Scheduler scheduler;
    private final HttpClient http;
    private final Duration probeInterval;
    private final Map<String, Thread> calls = new ConcurrentHashMap<>();
    private final Thread prober;
    private volatile boolean closed;

    PushLink(
            String nodeId, String baseUrl, String token, Scheduler scheduler, HttpClient http, Duration probeInterval) {
        this.nodeId = nodeId;
        this.baseUrl = baseUrl;
        this.token = token;
        this.scheduler = scheduler;
        this.http = http;
        this.probeInterval = probeInterval;
        this.prober = Thread.ofVirtual().name("push-probe-" + nodeId).start(this::probe);
    }

    @Override
    public void send(Message message) {
        switch (message) {
            case Message.AssignJob assign ->
                calls.put(
                        assign.jobId() + "/" + assign.attempt(),
                        Thread.ofVirtual().name("push-" + assign.jobId()).start(() -> execute(assign)));
            case Message.JobCancel cancel -> {
                Thread call = calls.remove(cancel.jobId() + "/" + cancel.attempt());
                if (call != null) {
                    call.interrupt(); // aborts the HTTP exchange; the node's own work may still finish
                }
            }
            default -> {} // welcome, drain: nothing to say to a push node
        }
    }

    private void execute(Message.AssignJob assign) {
        String key = assign.jobId() + "/" + assign.attempt();
        try {
            report(new Message.JobAccepted(assign.jobId(), assign.attempt()));
            ObjectNode body = Json.mapper().createObjectNode();
            body.put("job_id", assign.jobId());
            body.put("type", assign.jobType());
            body.set("payload", assign.payload());
            body.put("attempt", assign.attempt());
            if (assign.timeoutMs() != null) {
                body.put("timeout_ms", assign.timeoutMs());
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/execute"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Json.mapper().writeValueAsBytes(body)));
            if (token != null && !token.isEmpty()) {
                request.header("Authorization", "Bearer " + token);
            }
            if (assign.timeoutMs() != null) {
                request.timeout(Duration.ofMillis(assign.timeoutMs()));
            }
            long started = System.nanoTime();
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            report(translate(assign, response, tookMs));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // cancelled: the scheduler already recorded why
        } catch (IOException | RuntimeException e) {
            report(new Message.JobError(
                    assign.jobId(),
                    assign.attempt(),
                    ErrorCode.BACKEND_UNREACHABLE,
                    "POST " + baseUrl + "/execute failed: " + e,
                    true,
                    0));
        } finally {
            calls.remove(key);
        }
    }

    private static Message translate(Message.AssignJob assign, HttpResponse<byte[]> response, long tookMs) {
        JsonNode body;
        try {
            body = Json.mapper().readTree(response.body());
        } catch (IOException e) {
            body = null;
        }
        if (response.statusCode() == 200 && body != null && body.isObject()) {
            // The agent answers {"status":"ok","result":...,"executor":...,"route_rule":...}; a minimal push node
            // answers {"status":"ok", ...fields}: then the fields besides status are the result.
            JsonNode result = body.get("result");
            if (result == null) {
                ObjectNode rest = ((ObjectNode) body).deepCopy();
                rest.remove("status");
                result = rest;
            }
            return new Message.JobDone(
                    assign.jobId(),
                    assign.attempt(),
                    result,
                    null,
                    tookMs,
                    body.path("executor").asText(null),
                    body.path("route_rule").asText(null),
                    null);
        }
        JsonNode error = body == null ? null : body.path("error");
        // The node's own code is relayed as it sent it, known to this version or not.
        String code = error == null || error.path("code").isMissingNode()
                ? ErrorCode.EXECUTOR_ERROR.wireName()
                : error.path("code").asText();
        String message = error == null || error.path("message").isMissingNode()
                ? "node answered HTTP " + response.statusCode()
                : error.path("message").asText();
        if (ErrorCode.fromWire(code).isRefusal()) {
            return new Message.JobRejected(assign.jobId(), assign.attempt(), code, message);
        }
        return new Message.JobError(assign.jobId(), assign.attempt(), code, message, response.statusCode() >= 500, 0);
    }

    private void probe() {
        while (!closed) {
            try {
                HttpResponse<Void> response = http.send(
                        HttpRequest.newBuilder(URI.create(baseUrl + "/healthz"))
                                .timeout(probeInterval)
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    report(new Message.Heartbeat(calls.size(), List.of(), 0, null));
                }
                Thread.sleep(probeInterval);
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                LOG.debug("push node {} health probe failed: {}", nodeId, e.toString());
                try {
                    Thread.sleep(probeInterval);
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    private void report(Message message) {
        if (!closed) {
            scheduler.fromNode(nodeId, this, message);
        }
    }

    @Override
    public void close(String reason) {
        closed = true;
        prober.interrupt();
        calls.values().forEach(Thread::interrupt);
    }

    @Override
    public String mode() {
        return "push";
    }

    @Override
    public String address() {
        return baseUrl;
    }
}
