package org.planetarymesh.agent.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.agent.Agent;
import org.planetarymesh.agent.config.AgentConfig;
import org.planetarymesh.core.json.Json;

/**
 * The local {@code POST /execute} runs the agent's allow-listed shell commands for whoever calls it, so it is off
 * unless the agent was given an execute token, and then needs that token; {@code /healthz} stays open.
 */
class LocalApiAuthTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String SHELL_JOB =
            "{\"type\": \"shell\", \"payload\": {\"command\": [\"/bin/sh\", \"-c\", \"echo ran\"]}}";

    @TempDir
    Path dataDir;

    private Agent agent(String executeToken) {
        return Agent.start(AgentConfig.builder()
                .dataDir(dataDir)
                .allowShell(List.of("/bin/sh"))
                .shutdownGrace(Duration.ZERO)
                .executeToken(executeToken)
                .build());
    }

    private static HttpResponse<String> execute(Agent agent, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + agent.httpPort() + "/execute"))
                .POST(HttpRequest.BodyPublishers.ofString(SHELL_JOB));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> healthz(Agent agent) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.httpPort() + "/healthz"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void byDefaultExecuteIsOffAndSaysHowToTurnItOn() throws Exception {
        try (Agent agent = Agent.start(AgentConfig.builder()
                .dataDir(dataDir)
                .allowShell(List.of("/bin/sh"))
                .shutdownGrace(Duration.ZERO)
                .build())) {
            HttpResponse<String> r = execute(agent, null);

            assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
            JsonNode error = Json.mapper().readTree(r.body()).get("error");
            assertThat(error.get("code").asText()).isEqualTo("execute_off");
            assertThat(error.get("message").asText()).contains("--execute-token");
            assertThat(healthz(agent).statusCode()).as("healthz stays open").isEqualTo(200);
        }
    }

    @Test
    void withATokenExecuteAnswersOnlyRequestsBearingIt() throws Exception {
        String token = "a-long-enough-execute-token";
        try (Agent agent = agent(token)) {
            HttpResponse<String> none = execute(agent, null);
            assertThat(none.statusCode()).as(none.body()).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            assertThat(Json.mapper().readTree(none.body()).at("/error/code").asText())
                    .isEqualTo("unauthorized");

            HttpResponse<String> wrong = execute(agent, "Bearer " + token + "x");
            assertThat(wrong.statusCode()).as(wrong.body()).isEqualTo(401);

            HttpResponse<String> right = execute(agent, "Bearer " + token);
            assertThat(right.statusCode()).as(right.body()).isEqualTo(200);
            assertThat(Json.mapper()
                            .readTree(right.body())
                            .at("/result/stdout_tail")
                            .asText())
                    .isEqualTo("ran\n");
            assertThat(healthz(agent).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aShortTokenIsRefusedAtStart() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> agent("short"))
                .hasMessageContaining("execute_token")
                .hasMessageContaining("16 characters");
    }
}
