package org.planetarymesh.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.planetarymesh.coordinator.TestCoordinator.awaitStatus;
import static org.planetarymesh.coordinator.TestCoordinator.submit;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** first-healthy fills the first joined node; least-loaded spreads; every placement records scores and runners-up. */
class PlacementPolicyTest {

    @TempDir
    Path dir;

    @Test
    void firstHealthyPicksTheFirstJoinedNode() throws Exception {
        try (Coordinator coordinator = TestCoordinator.start(dir);
                ProtocolAgent first =
                        ProtocolAgent.connect(coordinator, "zz-first", List.of("echo"), 4, ProtocolAgent::hold)) {
            TestCoordinator.awaitNodes(coordinator, 1);
            try (ProtocolAgent second =
                    ProtocolAgent.connect(coordinator, "aa-second", List.of("echo"), 4, ProtocolAgent::hold)) {
                TestCoordinator.awaitNodes(coordinator, 2);
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    ids.add(submit(coordinator, "{\"type\":\"echo\",\"placement\":\"first-healthy\"}"));
                }
                for (String id : ids) {
                    JsonNode job = awaitStatus(coordinator, id, "RUNNING");
                    assertThat(job.path("node_id").asText()).isEqualTo("zz-first");
                    assertThat(job.path("routing").path("policy").asText()).isEqualTo("first-healthy");
                }
                assertThat(second.assignments()).isEmpty();
            }
        }
    }

    @Test
    void leastLoadedSpreadsJobsAcrossEqualNodesAndRecordsItsReasoning() throws Exception {
        try (Coordinator coordinator = TestCoordinator.start(dir);
                ProtocolAgent a =
                        ProtocolAgent.connect(coordinator, "node-a", List.of("echo"), 4, ProtocolAgent::hold);
                ProtocolAgent b =
                        ProtocolAgent.connect(coordinator, "node-b", List.of("echo"), 4, ProtocolAgent::hold)) {
            TestCoordinator.awaitNodes(coordinator, 2);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String id = submit(coordinator, "{\"type\":\"echo\"}");
                awaitStatus(coordinator, id, "RUNNING");
                ids.add(id);
            }
            assertThat(a.assignments()).hasSize(2);
            assertThat(b.assignments()).hasSize(2);

            JsonNode routing = TestCoordinator.job(coordinator, ids.get(1)).path("routing");
            assertThat(routing.path("policy").asText()).isEqualTo("least-loaded");
            String winner = routing.path("winner").asText();
            String loser = winner.equals("node-a") ? "node-b" : "node-a";
            assertThat(routing.path("candidates")).hasSize(2);
            for (JsonNode candidate : routing.path("candidates")) {
                assertThat(candidate.path("score").isNumber())
                        .as("score of %s", candidate)
                        .isTrue();
            }
            assertThat(routing.path("candidates").get(0).path("node_id").asText())
                    .isEqualTo(winner);
            assertThat(routing.path("candidates").get(0).path("score").asDouble())
                    .isGreaterThan(
                            routing.path("candidates").get(1).path("score").asDouble());
            assertThat(routing.path("runners_up")).extracting(JsonNode::asText).containsExactly(loser);
        }
    }
}
