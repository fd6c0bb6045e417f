package org.planetarymesh.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.planetarymesh.coordinator.TestCoordinator.awaitStatus;
import static org.planetarymesh.coordinator.TestCoordinator.submit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.core.json.Json;

/** Push mode: a node registered by address runs jobs through its POST /execute. */
class PushModeTest {

    @TempDir
    Path dir;

    @Test
    void jobCompletesThroughARegisteredPushNode() throws Exception {
        AtomicInteger executed = new AtomicInteger();
        HttpServer node = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        node.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        node.createContext("/healthz", exchange -> reply(exchange, 200, "{\"status\":\"ok\"}"));
        node.createContext("/execute", exchange -> {
            JsonNode request = Json.mapper().readTree(exchange.getRequestBody());
            executed.incrementAndGet();
            ObjectNode answer = Json.mapper().createObjectNode().put("status", "ok");
            answer.set("echo", request.path("payload"));
            answer.put("job_id", request.path("job_id").asText());
            reply(exchange, 200, answer.toString());
        });
        node.start();
        try (Coordinator coordinator = TestCoordinator.start(dir)) {
            var registered = TestCoordinator.post(
                    coordinator,
                    "/v1/nodes",
                    "{\"name\":\"p1\",\"address\":\"127.0.0.1:"
                            + node.getAddress().getPort() + "\",\"capabilities\":[\"echo\"],\"max_concurrent\":2}");
            assertThat(registered.status()).isEqualTo(201);
            String nodeId = registered.body().path("id").asText();
            Awaitility.await()
                    .atMost(ProtocolAgent.shortly())
                    .until(() -> coordinator
                            .scheduler()
                            .node(nodeId)
                            .map(n -> n.status().name().equals("HEALTHY"))
                            .orElse(false));

            String id = submit(coordinator, "{\"type\":\"echo\",\"payload\":{\"hello\":\"push\"}}");

            JsonNode job = awaitStatus(coordinator, id, "COMPLETED");
            assertThat(job.path("node_id").asText()).isEqualTo(nodeId);
            assertThat(job.path("result").path("echo").path("hello").asText()).isEqualTo("push");
            assertThat(job.path("result").path("job_id").asText()).isEqualTo(id);
            assertThat(job.path("result").has("status")).isFalse();
            assertThat(executed.get()).isEqualTo(1);
            JsonNode listed =
                    TestCoordinator.get(coordinator, "/v1/nodes/" + nodeId).body();
            assertThat(listed.path("mode").asText()).isEqualTo("push");
        } finally {
            node.stop(0);
        }
    }

    @Test
    void invalidAddressIsRefusedWithWhatToFix() throws Exception {
        try (Coordinator coordinator = TestCoordinator.start(dir)) {
            var refused = TestCoordinator.post(
                    coordinator,
                    "/v1/nodes",
                    "{\"name\":\"p2\",\"address\":\"ftp://example:21\",\"capabilities\":[\"echo\"]}");

            assertThat(refused.status()).isEqualTo(422);
            assertThat(refused.body().path("error").path("code").asText()).isEqualTo("invalid_node");
            assertThat(refused.body().path("error").path("message").asText())
                    .contains("ftp://example:21")
                    .contains("only http and https are supported");
            assertThat(TestCoordinator.get(coordinator, "/v1/nodes").body().path("nodes"))
                    .isEmpty();
        }
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
