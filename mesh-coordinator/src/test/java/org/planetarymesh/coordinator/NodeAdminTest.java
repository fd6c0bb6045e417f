package org.planetarymesh.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.planetarymesh.coordinator.TestCoordinator.awaitNodes;
import static org.planetarymesh.coordinator.TestCoordinator.awaitStatus;
import static org.planetarymesh.coordinator.TestCoordinator.get;
import static org.planetarymesh.coordinator.TestCoordinator.post;
import static org.planetarymesh.coordinator.TestCoordinator.submit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.coordinator.TestCoordinator.Response;
import org.planetarymesh.core.protocol.Message;

/** Drain, undrain and removal of nodes over the REST API, each as docs/API.md describes it. */
class NodeAdminTest {

    @TempDir
    Path dir;

    @Test
    void aDrainedNodeShowsDrainingGetsNoJobsAndTakesThemAgainOnceUndrained() throws Exception {
        try (Coordinator coordinator = TestCoordinator.start(dir);
                ProtocolAgent agent =
                        ProtocolAgent.connect(coordinator, "n1", List.of("echo"), 2, ProtocolAgent::echo)) {
            awaitNodes(coordinator, 1);
            assertThat(post(coordinator, "/v1/nodes/n1/drain", "").status()).isEqualTo(202);
            await().atMost(ProtocolAgent.shortly())
                    .until(() -> nodeStatus(coordinator, "n1").equals("DRAINING"));
            assertThat(get(coordinator, "/v1/nodes")
                            .body()
                            .path("nodes")
                            .get(0)
                            .path("status")
                            .asText())
                    .isEqualTo("DRAINING");
            assertThat(agent.received()).anyMatch(Message.Drain.class::isInstance);

            String id = submit(coordinator, "{\"type\":\"echo\"}");
            await().during(Duration.ofMillis(500))
                    .atMost(Duration.ofSeconds(2))
                    .until(() -> agent.assignments().isEmpty());
            assertThat(TestCoordinator.status(coordinator, id)).isEqualTo("QUEUED");

            Response undrained = post(coordinator, "/v1/nodes/n1/undrain", "");
            assertThat(undrained.status()).as("%s", undrained.body()).isEqualTo(200);
            assertThat(undrained.body().path("status").asText()).isEqualTo("HEALTHY");
            await().atMost(ProtocolAgent.shortly())
                    .until(() -> agent.received().stream().anyMatch(Message.Undrain.class::isInstance));
            awaitStatus(coordinator, id, "COMPLETED");

            Response again = post(coordinator, "/v1/nodes/n1/undrain", "");
            assertThat(again.status()).isEqualTo(409);
            assertThat(again.body().path("error").path("message").asText()).contains("not draining", "HEALTHY");
            assertThat(post(coordinator, "/v1/nodes/nope/undrain", "").status()).isEqualTo(404);
        }
    }

    @Test
    void aNodeDrainingBecauseItsAgentStopsCannotBeUndrained() throws Exception {
        try (Coordinator coordinator = TestCoordinator.start(dir);
                ProtocolAgent agent =
                        ProtocolAgent.connect(coordinator, "n1", List.of("echo"), 2, ProtocolAgent::echo)) {
            awaitNodes(coordinator, 1);
            agent.send(new Message.Drain("agent shutting down"));
            await().atMost(ProtocolAgent.shortly())
                    .until(() -> nodeStatus(coordinator, "n1").equals("DRAINING"));
            Response refused = post(coordinator, "/v1/nodes/n1/undrain", "");
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.body().path("error").path("message").asText()).contains("shutting down");
        }
    }

    @Test
    void aConnectedNodeIsNotRemovedButADisconnectedOneIsAndItsJobGoesElsewhere() throws Exception {
        try (Coordinator coordinator = TestCoordinator.start(
                        dir, c -> c.withHealth(Duration.ofMillis(200), Duration.ofMillis(600), Duration.ofMinutes(5)));
                ProtocolAgent holder =
                        ProtocolAgent.connect(coordinator, "n1", List.of("echo"), 1, ProtocolAgent::hold)) {
            awaitNodes(coordinator, 1);
            String id = submit(coordinator, "{\"type\":\"echo\"}");
            holder.awaitAssignment(id, 1);

            Response refused = FinishedJobsTest.delete(coordinator, "/v1/nodes/n1");
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.body().path("error").path("message").asText())
                    .contains("is connected", "stop its agent first", "/drain");

            holder.crash();
            // dead_after_ms is 5 minutes here: without the removal the job would wait that long for the node.
            await().atMost(ProtocolAgent.shortly())
                    .until(() -> nodeStatus(coordinator, "n1").equals("SUSPECT"));
            try (ProtocolAgent other =
                    ProtocolAgent.connect(coordinator, "n2", List.of("echo"), 1, ProtocolAgent::echo)) {
                awaitNodes(coordinator, 2);
                assertThat(FinishedJobsTest.delete(coordinator, "/v1/nodes/n1").status())
                        .isEqualTo(204);
                assertThat(get(coordinator, "/v1/nodes/n1").status()).isEqualTo(404);
                assertThat(get(coordinator, "/v1/nodes").body().path("nodes")).hasSize(1);
                awaitStatus(coordinator, id, "COMPLETED");
                assertThat(TestCoordinator.job(coordinator, id).path("node_id").asText())
                        .isEqualTo("n2");
            }
            assertThat(FinishedJobsTest.delete(coordinator, "/v1/nodes/n1").status())
                    .isEqualTo(404);
        }
    }

    @Test
    void aDeadNodeIsRemovedFromTheListAtOnce() throws Exception {
        try (Coordinator coordinator = TestCoordinator.start(dir);
                ProtocolAgent agent =
                        ProtocolAgent.connect(coordinator, "n1", List.of("echo"), 1, ProtocolAgent::echo)) {
            awaitNodes(coordinator, 1);
            agent.crash();
            await().atMost(ProtocolAgent.shortly())
                    .until(() -> nodeStatus(coordinator, "n1").equals("DEAD"));
            assertThat(FinishedJobsTest.delete(coordinator, "/v1/nodes/n1").status())
                    .isEqualTo(204);
            assertThat(get(coordinator, "/v1/nodes").body().path("nodes")).isEmpty();
        }
    }

    private static String nodeStatus(Coordinator coordinator, String id) throws Exception {
        return get(coordinator, "/v1/nodes/" + id).body().path("status").asText();
    }
}
