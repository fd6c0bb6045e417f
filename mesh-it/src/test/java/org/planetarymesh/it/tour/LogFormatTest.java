package org.planetarymesh.it.tour;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.it.MeshCluster;
import org.planetarymesh.it.MeshProcess;

/** {@code --log-format json}: every log line of a real coordinator is one JSON object, with the request's id. */
class LogFormatTest {

    @TempDir
    Path dir;

    @Test
    void jsonLogsAreOneObjectPerLineAndCarryTheRequestId() throws Exception {
        int port = MeshCluster.freePort();
        try (MeshProcess coordinator = MeshProcess.start(
                        "coordinator",
                        dir,
                        Map.of("MESH_LOG_FORMAT", "text"),
                        "coordinator",
                        "--port",
                        Integer.toString(port),
                        "--data-dir",
                        "state",
                        "--log-format",
                        "json");
                HttpClient http = HttpClient.newHttpClient()) {
            coordinator.awaitLog("Coordinator listening on", Duration.ofSeconds(60));

            // An agent with a bad token: refused at the handshake, which the coordinator logs at WARN.
            try {
                http.newWebSocketBuilder()
                        .header("Authorization", "Bearer not-a-token")
                        .header("X-Request-Id", "req-42")
                        .buildAsync(
                                URI.create("ws://127.0.0.1:" + port + "/v1/agents/connect"),
                                new WebSocket.Listener() {})
                        .join();
            } catch (CompletionException expected) {
                // the handshake fails with 401
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> coordinator.log().contains("refused an agent"));

            List<String> logLines = coordinator
                    .log()
                    .lines()
                    .filter(line -> !line.startsWith("Coordinator listening on") && !line.startsWith("Admin token:"))
                    .filter(line -> !line.isBlank())
                    .toList();
            assertThat(logLines).isNotEmpty();
            JsonNode refused = null;
            for (String line : logLines) {
                JsonNode json = Json.mapper().readTree(line);
                assertThat(json.has("level") && json.has("loggerName") && json.has("formattedMessage"))
                        .as("a JSON log line: %s", line)
                        .isTrue();
                if (json.path("formattedMessage").asText().startsWith("refused an agent connection")) {
                    refused = json;
                }
            }
            assertThat(refused).isNotNull();
            assertThat(refused.path("level").asText()).isEqualTo("WARN");
            assertThat(refused.path("mdc").path("request_id").asText()).isEqualTo("req-42");
        }
    }
}
