package org.planetarymesh.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.coordinator.stats.MeshStats;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.testkit.metrics.PrometheusText;
import org.planetarymesh.testkit.metrics.Promtool;

/**
 * {@code GET /metrics} on a real coordinator with two scripted agents after a bounded load: promtool finds nothing to
 * complain about, the figures equal {@code /v1/stats} (one source, {@link MeshStats}) and what the test did, and the
 * endpoint needs a token with role {@code read}.
 */
class MetricsTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int ECHOES = 40;
    private static final int FAILURES = 5;

    @TempDir
    Path dir;

    @Test
    void metricsPassPromtoolAndAgreeWithStats() throws Exception {
        try (Coordinator coordinator = Coordinator.start(
                        CoordinatorConfig.defaults(dir).withPort(0).withRequireAgentKey(false));
                ProtocolAgent echo =
                        ProtocolAgent.connect(coordinator, "node-echo", List.of("echo"), 8, ProtocolAgent::echo);
                ProtocolAgent failing = ProtocolAgent.connect(
                        coordinator, "node-fail", List.of("fail"), 2, ProtocolAgent.failing(false))) {
            for (int i = 0; i < ECHOES; i++) {
                submit(coordinator, "{\"type\":\"echo\",\"payload\":{\"n\":" + i + "}}");
            }
            for (int i = 0; i < FAILURES; i++) {
                submit(coordinator, "{\"type\":\"fail\",\"scope\":\"NETWORK\",\"retry\":{\"max_attempts\":1}}");
            }
            String stuck = submit(coordinator, "{\"type\":\"nobody-runs-this\"}")
                    .path("id")
                    .asText();
            send(coordinator, "POST", "/v1/jobs/" + stuck + "/cancel", coordinator.adminToken());
            submit(coordinator, "{\"type\":\"nobody-runs-this\",\"scope\":\"LOCAL\"}"); // stays QUEUED
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> stats(coordinator)
                                            .path("jobs")
                                            .path("COMPLETED")
                                            .asLong()
                                    == ECHOES
                            && stats(coordinator).path("jobs").path("FAILED").asLong() == FAILURES);

            String reader = createToken(coordinator, "read");
            HttpResponse<String> scrape = send(coordinator, "GET", "/metrics", reader);
            JsonNode stats = stats(coordinator);

            assertThat(scrape.statusCode()).as(scrape.body()).isEqualTo(200);
            assertThat(scrape.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
            Promtool.Verdict verdict = Promtool.checkMetrics(scrape.body());
            assertThat(verdict.clean())
                    .as("promtool check metrics: %s", verdict)
                    .isTrue();

            PrometheusText metrics = PrometheusText.parse(scrape.body());
            stats.path("jobs")
                    .properties()
                    .forEach(status -> assertThat(metrics.value("mesh_jobs", Map.of("status", status.getKey())))
                            .as("mesh_jobs{status=%s} and /v1/stats", status.getKey())
                            .isEqualTo(status.getValue().asDouble()));
            assertThat(metrics.value("mesh_queue_depth", Map.of()))
                    .isEqualTo(1.0)
                    .isEqualTo(stats.path("queue_depth").asDouble());
            assertThat(metrics.value("mesh_jobs_submitted_total", Map.of("type", "echo", "scope", "HYBRID")))
                    .isEqualTo(ECHOES);
            assertThat(metrics.value(
                            "mesh_jobs_ended_total", Map.of("type", "echo", "scope", "HYBRID", "status", "COMPLETED")))
                    .isEqualTo(ECHOES);
            assertThat(metrics.value(
                            "mesh_jobs_ended_total", Map.of("type", "fail", "scope", "NETWORK", "status", "FAILED")))
                    .isEqualTo(FAILURES);
            assertThat(metrics.value(
                            "mesh_jobs_ended_total",
                            Map.of("type", "nobody-runs-this", "scope", "HYBRID", "status", "CANCELLED")))
                    .isEqualTo(1);
            assertThat(metrics.sum("mesh_jobs_submitted_total", Map.of())).isEqualTo(ECHOES + FAILURES + 2);
            for (JsonNode kind : stats.path("by_kind")) {
                assertThat(metrics.value(
                                "mesh_jobs_submitted_total",
                                Map.of(
                                        "type",
                                        kind.path("type").asText(),
                                        "scope",
                                        kind.path("scope").asText())))
                        .as("submitted %s and /v1/stats", kind)
                        .isEqualTo(kind.path("submitted").asDouble());
            }
            assertThat(metrics.value("mesh_nodes", Map.of("status", "HEALTHY")))
                    .isEqualTo(2)
                    .isEqualTo(stats.path("nodes").path("HEALTHY").asDouble());
            assertThat(metrics.value("mesh_agent_links", Map.of()))
                    .isEqualTo(2)
                    .isEqualTo(stats.path("open_links").asDouble());
            // every job that ran was timed, once: the histograms count the jobs that started
            assertThat(metrics.value("mesh_jobs_wait_seconds_count", Map.of())).isEqualTo(ECHOES + FAILURES);
            assertThat(metrics.value("mesh_jobs_run_seconds_count", Map.of()))
                    .isEqualTo(stats.path("run_time").path("count").asDouble());
            assertThat(metrics.value("mesh_jobs_wait_seconds_bucket", Map.of("le", "+Inf")))
                    .isEqualTo(ECHOES + FAILURES);
            assertThat(metrics.value("mesh_store_commit_seconds_count", Map.of()))
                    .isPositive();
            assertThat(metrics.sum("mesh_store_commit_writes_sum", Map.of())).isGreaterThanOrEqualTo(2 * ECHOES);
        }
    }

    @Test
    void metricsNeedATokenWithRoleRead() throws Exception {
        try (Coordinator coordinator =
                Coordinator.start(CoordinatorConfig.defaults(dir).withPort(0))) {
            HttpResponse<String> anonymous = send(coordinator, "GET", "/metrics", null);
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).isPresent();
            assertThat(send(coordinator, "GET", "/metrics", createToken(coordinator, "agent"))
                            .statusCode())
                    .isEqualTo(403);
            assertThat(send(coordinator, "GET", "/metrics", createToken(coordinator, "read"))
                            .statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void eventStreamsAreCountedWhileOpen() throws Exception {
        try (Coordinator coordinator =
                Coordinator.start(CoordinatorConfig.defaults(dir).withPort(0))) {
            HttpResponse<java.io.InputStream> stream = HTTP.send(
                    HttpRequest.newBuilder(URI.create(coordinator.url() + "/v1/events"))
                            .header("Authorization", "Bearer " + coordinator.adminToken())
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (var in = stream.body()) {
                await().atMost(Duration.ofSeconds(10))
                        .until(() ->
                                stats(coordinator).path("open_event_streams").asInt() == 1);
                assertThat(PrometheusText.parse(send(coordinator, "GET", "/metrics", coordinator.adminToken())
                                        .body())
                                .value("mesh_event_streams", Map.of()))
                        .isEqualTo(1);
            }
        }
    }

    private static JsonNode submit(Coordinator coordinator, String spec) throws Exception {
        HttpResponse<String> answer = HTTP.send(
                HttpRequest.newBuilder(URI.create(coordinator.url() + "/v1/jobs"))
                        .header("Authorization", "Bearer " + coordinator.adminToken())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(spec))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
        return Json.mapper().readTree(answer.body());
    }

    private static String createToken(Coordinator coordinator, String role) throws Exception {
        HttpResponse<String> answer = HTTP.send(
                HttpRequest.newBuilder(URI.create(coordinator.url() + "/v1/tokens"))
                        .header("Authorization", "Bearer " + coordinator.adminToken())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"role\":\"" + role + "\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
        return Json.mapper().readTree(answer.body()).path("token").asText();
    }

    private static JsonNode stats(Coordinator coordinator) throws Exception {
        return Json.mapper()
                .readTree(send(coordinator, "GET", "/v1/stats", coordinator.adminToken())
                        .body());
    }

    private static HttpResponse<String> send(Coordinator coordinator, String method, String path, String token)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(coordinator.url() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
