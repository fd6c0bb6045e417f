package org.planetarymesh.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Submit → place → run → complete, over a real WebSocket and a real SQLite file. */
class HappyPathTest {

    @TempDir
    Path dir;

    @Test
    void echoJobCompletesWithItsPayloadAsResult() throws Exception {
        try (Coordinator coordinator = TestCoordinator.start(dir);
                ProtocolAgent agent =
                        ProtocolAgent.connect(coordinator, "node-a", List.of("echo"), 4, ProtocolAgent::echo)) {
            await().until(() -> coordinator.scheduler().nodes().size() == 1);

            var created = TestCoordinator.post(
                    coordinator, "/v1/jobs", "{\"type\":\"echo\",\"payload\":{\"hello\":\"mesh\"}}");
            assertThat(created.status()).isEqualTo(201);
            String id = created.body().path("id").asText();

            await().atMost(ProtocolAgent.shortly())
                    .until(() -> TestCoordinator.status(coordinator, id).equals("COMPLETED"));
            var job = TestCoordinator.get(coordinator, "/v1/jobs/" + id).body();
            assertThat(job.path("result").path("hello").asText()).isEqualTo("mesh");
            assertThat(job.path("node_id").asText()).isEqualTo("node-a");
            assertThat(job.path("routing").path("winner").asText()).isEqualTo("node-a");
            assertThat(job.path("attempts")).hasSize(1);
        }
    }
}
