package org.planetarymesh.it.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.core.job.JobSpec;
import org.planetarymesh.core.job.JobSpecParser;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.it.MeshCluster;
import org.planetarymesh.it.MeshProcess;
import org.planetarymesh.it.agent.Jobs;
import org.planetarymesh.testkit.metrics.PrometheusText;
import org.planetarymesh.testkit.metrics.Promtool;

/**
 * Prometheus scrapes of a real coordinator process and a real agent process after a bounded load (1,000 echo jobs in
 * batches, some failing shell jobs) through the SDK: promtool accepts both, the coordinator's figures equal
 * {@code /v1/stats} (one source) and what was submitted, and the agent counted every execution its coordinator
 * recorded.
 */
class MetricsScrapeTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String METRICS_TOKEN = "it-metrics-token-0123456789abcdef";
    private static final int ECHOES = 1_000;
    private static final int FAILURES = 10;

    @TempDir
    Path dir;

    @Test
    void coordinatorAndAgentScrapesPassPromtoolAndAgreeWithStats() throws Exception {
        try (MeshCluster cluster = new MeshCluster(dir)) {
            cluster.startCoordinator();
            MeshProcess agent = cluster.startAgent(
                    "a1", "--allow-shell", "false", "--http-port", "0", "--metrics-token", METRICS_TOKEN);
            int agentPort = Jobs.localApiPort(agent);
            List<String> ids = new ArrayList<>();
            try (MeshClient client = MeshClient.connect(cluster.url(), cluster.token())) {
                for (int batch = 0; batch < ECHOES / 100; batch++) {
                    List<JobSpec> specs = new ArrayList<>();
                    for (int i = 0; i < 100; i++) {
                        specs.add(JobSpec.of("echo", Json.mapper().readTree("{\"n\":" + (batch * 100 + i) + "}")));
                    }
                    ids.addAll(client.submitAll(specs));
                }
                List<String> failing = new ArrayList<>();
                for (int i = 0; i < FAILURES; i++) {
                    failing.add(client.submit(JobSpecParser.parse(Json.mapper()
                                    .readTree("{\"type\":\"shell\",\"payload\":{\"command\":[\"false\"]},"
                                            + "\"retry\":{\"max_attempts\":1}}")))
                            .id());
                }
                for (String id : ids) {
                    assertThat(client.await(id, Duration.ofSeconds(60)).status())
                            .isEqualTo(JobStatus.COMPLETED);
                }
                for (String id : failing) {
                    assertThat(client.await(id, Duration.ofSeconds(60)).status())
                            .isEqualTo(JobStatus.FAILED);
                }
            }
            String reader = readToken(cluster);

            HttpResponse<String> coordinatorScrape = get(cluster.url() + "/metrics", reader);
            JsonNode stats = Json.mapper()
                    .readTree(get(cluster.url() + "/v1/stats", reader).body());
            HttpResponse<String> agentScrape = get("http://127.0.0.1:" + agentPort + "/metrics", METRICS_TOKEN);

            for (HttpResponse<String> scrape : List.of(coordinatorScrape, agentScrape)) {
                assertThat(scrape.statusCode())
                        .as(scrape.uri() + ": " + scrape.body())
                        .isEqualTo(200);
                Promtool.Verdict verdict = Promtool.checkMetrics(scrape.body());
                assertThat(verdict.clean())
                        .as("promtool check metrics on %s: %s", scrape.uri(), verdict)
                        .isTrue();
            }
            PrometheusText coordinator = PrometheusText.parse(coordinatorScrape.body());
            stats.path("jobs")
                    .properties()
                    .forEach(status -> assertThat(coordinator.value("mesh_jobs", Map.of("status", status.getKey())))
                            .as("mesh_jobs{status=%s} and /v1/stats", status.getKey())
                            .isEqualTo(status.getValue().asDouble()));
            assertThat(coordinator.value("mesh_jobs", Map.of("status", "COMPLETED")))
                    .isEqualTo(ECHOES);
            assertThat(coordinator.value(
                            "mesh_jobs_ended_total", Map.of("type", "echo", "scope", "HYBRID", "status", "COMPLETED")))
                    .isEqualTo(ECHOES);
            assertThat(coordinator.value(
                            "mesh_jobs_ended_total", Map.of("type", "shell", "scope", "HYBRID", "status", "FAILED")))
                    .isEqualTo(FAILURES);
            assertThat(coordinator.value("mesh_jobs_run_seconds_count", Map.of()))
                    .isEqualTo(ECHOES + FAILURES);
            assertThat(coordinator.value("mesh_nodes", Map.of("status", "HEALTHY")))
                    .isEqualTo(1);
            assertThat(coordinator.value("mesh_agent_links", Map.of())).isEqualTo(1);
            assertThat(coordinator.value("mesh_store_commit_writes_sum", Map.of()))
                    .as("every job's insert and end at least")
                    .isGreaterThanOrEqualTo(2.0 * (ECHOES + FAILURES));

            PrometheusText agentMetrics = PrometheusText.parse(agentScrape.body());
            assertThat(agentMetrics.value("mesh_agent_executions_total", Map.of("executor", "echo", "outcome", "ok")))
                    .isEqualTo(ECHOES);
            assertThat(agentMetrics.value(
                            "mesh_agent_executions_total", Map.of("executor", "shell", "outcome", "failed")))
                    .isEqualTo(FAILURES);
            assertThat(agentMetrics.value("mesh_agent_jobs_running", Map.of())).isZero();
        }
    }

    /** A token with role {@code read}, as a Prometheus server would be given. */
    private static String readToken(MeshCluster cluster) throws Exception {
        HttpResponse<String> answer = HTTP.send(
                HttpRequest.newBuilder(URI.create(cluster.url() + "/v1/tokens"))
                        .header("Authorization", "Bearer " + cluster.token())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"role\":\"read\",\"name\":\"prometheus\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
        return Json.mapper().readTree(answer.body()).path("token").asText();
    }

    private static HttpResponse<String> get(String url, String token) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", "Bearer " + token)
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
