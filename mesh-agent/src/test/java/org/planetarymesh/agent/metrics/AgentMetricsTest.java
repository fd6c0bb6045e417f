package org.planetarymesh.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.agent.Agent;
import org.planetarymesh.agent.config.AgentConfig;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.testkit.metrics.PrometheusText;
import org.planetarymesh.testkit.metrics.Promtool;

/**
 * The agent's {@code GET /metrics} after a bounded load through its local {@code /execute}: promtool finds nothing to
 * complain about, each executor's executions and durations are counted as they ended, and the endpoint is off without
 * a metrics token and answers only requests bearing it.
 */
class AgentMetricsTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String EXECUTE_TOKEN = "an-execute-token-for-tests";
    private static final String METRICS_TOKEN = "a-metrics-token-for-tests";
    private static final int ECHOES = 25;
    private static final int TIMEOUTS = 3;

    @TempDir
    Path dataDir;

    @Test
    void executionsAreCountedByExecutorAndPassPromtool() throws Exception {
        try (Agent agent = agent(METRICS_TOKEN)) {
            for (int i = 0; i < ECHOES; i++) {
                assertThat(execute(agent, "{\"type\":\"echo\",\"payload\":{\"n\":" + i + "}}"))
                        .isEqualTo(200);
            }
            for (int i = 0; i < TIMEOUTS; i++) {
                assertThat(execute(agent, "{\"type\":\"sleep\",\"payload\":{\"ms\":60000},\"timeout_ms\":20}"))
                        .as("a sleep past its deadline")
                        .isEqualTo(504);
            }
            HttpResponse<String> scrape = metrics(agent, "Bearer " + METRICS_TOKEN);

            assertThat(scrape.statusCode()).as(scrape.body()).isEqualTo(200);
            assertThat(scrape.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
            Promtool.Verdict verdict = Promtool.checkMetrics(scrape.body());
            assertThat(verdict.clean())
                    .as("promtool check metrics: %s", verdict)
                    .isTrue();
            PrometheusText text = PrometheusText.parse(scrape.body());
            assertThat(text.value("mesh_agent_executions_total", Map.of("executor", "echo", "outcome", "ok")))
                    .isEqualTo(ECHOES);
            assertThat(text.value("mesh_agent_executions_total", Map.of("executor", "echo", "outcome", "failed")))
                    .isZero();
            assertThat(text.value("mesh_agent_executions_total", Map.of("executor", "sleep", "outcome", "failed")))
                    .isEqualTo(TIMEOUTS);
            assertThat(text.value("mesh_agent_execution_duration_seconds_count", Map.of("executor", "sleep")))
                    .isEqualTo(TIMEOUTS);
            assertThat(text.value("mesh_agent_execution_duration_seconds_sum", Map.of("executor", "sleep")))
                    .as("three sleeps stopped at their 20 ms deadline")
                    .isGreaterThanOrEqualTo(TIMEOUTS * 0.015);
            assertThat(text.value("mesh_agent_execution_duration_seconds_count", Map.of("executor", "echo")))
                    .isEqualTo(ECHOES);
            assertThat(text.value("mesh_agent_jobs_running", Map.of())).isZero();
            assertThat(text.value("mesh_agent_jobs_capacity", Map.of())).isEqualTo(4);
            assertThat(text.samples("mesh_agent_executions_total", Map.of("executor", "shell")))
                    .as("every installed executor is listed before it ran anything")
                    .hasSize(2);
        }
    }

    @Test
    void runningAttemptsAreAGaugeOfTheRunnersOwnCount() throws Exception {
        try (Agent agent = agent(METRICS_TOKEN)) {
            Thread sleeper = Thread.ofVirtual()
                    .start(() -> execute(agent, "{\"type\":\"sleep\",\"payload\":{\"ms\":60000},\"timeout_ms\":5000}"));
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> PrometheusText.parse(metrics(agent, "Bearer " + METRICS_TOKEN)
                                            .body())
                                    .value("mesh_agent_jobs_running", Map.of())
                            == 1.0);
            sleeper.interrupt();
        }
    }

    @Test
    void metricsAreOffWithoutATokenAndNeedIt() throws Exception {
        try (Agent agent = agent("")) {
            HttpResponse<String> off = metrics(agent, "Bearer " + METRICS_TOKEN);
            assertThat(off.statusCode()).isEqualTo(404);
            JsonNode error = Json.mapper().readTree(off.body()).path("error");
            assertThat(error.path("code").asText()).isEqualTo("metrics_off");
            assertThat(error.path("message").asText()).contains("--metrics-token");
        }
        try (Agent agent = agent(METRICS_TOKEN)) {
            HttpResponse<String> none = metrics(agent, null);
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).isPresent();
            assertThat(metrics(agent, "Bearer " + EXECUTE_TOKEN).statusCode())
                    .as("the execute token is not the metrics token")
                    .isEqualTo(401);
        }
    }

    private Agent agent(String metricsToken) {
        return Agent.start(AgentConfig.builder()
                .dataDir(dataDir)
                .maxConcurrent(4)
                .shutdownGrace(Duration.ZERO)
                .executeToken(EXECUTE_TOKEN)
                .metricsToken(metricsToken)
                .build());
    }

    private static int execute(Agent agent, String body) {
        try {
            return HTTP.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.httpPort() + "/execute"))
                                    .header("Authorization", "Bearer " + EXECUTE_TOKEN)
                                    .POST(HttpRequest.BodyPublishers.ofString(body))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static HttpResponse<String> metrics(Agent agent, String authorization) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.httpPort() + "/metrics"));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
