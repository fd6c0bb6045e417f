package org.planetarymesh.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.core.node.ModelState;
import org.planetarymesh.core.protocol.Message;
import org.planetarymesh.testkit.agent.RawAgent;

/**
 * What an agent advertises for inference (its models and which are loaded, its inference capacity, queue depth and
 * measured speed) shows in {@code GET /v1/nodes}, as each heartbeat updates it.
 */
class ModelAdvertisingTest {

    @TempDir
    Path dir;

    @Test
    void heartbeatsSetTheNodesModelsCapacityQueueAndSpeed() throws Exception {
        try (Coordinator coordinator = TestCoordinator.start(dir);
                RawAgent agent = RawAgent.connect(coordinator.url(), coordinator.adminToken())) {
            agent.send(new Message.Hello(
                    "gpu-1",
                    "gpu-1",
                    List.of("inference"),
                    List.of("inference"),
                    List.of("llama3.2"),
                    8,
                    null,
                    Map.of(),
                    Map.of(),
                    null,
                    null,
                    List.of(),
                    List.of(new ModelState("llama3.2", false, "ollama@127.0.0.1:11434")),
                    2,
                    0,
                    0));
            agent.awaitWelcome();
            // Every heartbeat carries the whole list; the first also admits the node (keyless here).
            ModelState cold = new ModelState("llama3.2", false, "ollama@127.0.0.1:11434");
            agent.send(new Message.Heartbeat(0, List.of(), 0, null, List.of(cold), 2, 0));

            JsonNode joined = awaitNode(coordinator, n -> n.has("model_states"));
            assertThat(joined.at("/model_states/0/id").asText()).isEqualTo("llama3.2");
            assertThat(joined.at("/model_states/0/loaded").asBoolean()).isFalse();
            assertThat(joined.at("/model_states/0/backend").asText()).isEqualTo("ollama@127.0.0.1:11434");
            assertThat(joined.path("max_inference").asInt()).isEqualTo(2);

            agent.send(new Message.Heartbeat(
                    1,
                    List.of(),
                    0.5,
                    null,
                    List.of(new ModelState("llama3.2", true, "ollama@127.0.0.1:11434")),
                    2,
                    41.5));

            JsonNode warm =
                    awaitNode(coordinator, n -> n.at("/model_states/0/loaded").asBoolean());
            assertThat(warm.path("queue_depth").asInt()).isEqualTo(1);
            assertThat(warm.path("tokens_per_second").asDouble()).isEqualTo(41.5);
            assertThat(warm.path("max_inference").asInt()).isEqualTo(2);
            assertThat(warm.path("models")).extracting(JsonNode::asText).containsExactly("llama3.2");

            // Its backend swapped models: the node's model list follows, not the one its hello named.
            agent.send(new Message.Heartbeat(
                    0, List.of(), 0, null, List.of(new ModelState("phi3", true, "vllm@127.0.0.1:8000")), 2, 40));
            JsonNode swapped = awaitNode(
                    coordinator, n -> n.at("/model_states/0/id").asText().equals("phi3"));
            assertThat(swapped.path("models")).extracting(JsonNode::asText).containsExactly("phi3");
        }
    }

    private static JsonNode awaitNode(Coordinator coordinator, java.util.function.Predicate<JsonNode> test) {
        return await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> {
                            for (JsonNode node : TestCoordinator.get(coordinator, "/v1/nodes")
                                    .body()
                                    .path("nodes")) {
                                if (node.path("id").asText().equals("gpu-1")) {
                                    return node;
                                }
                            }
                            return null;
                        },
                        node -> node != null && test.test(node));
    }
}
