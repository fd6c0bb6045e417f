package org.planetarymesh.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.planetarymesh.coordinator.TestCoordinator.awaitNodes;
import static org.planetarymesh.coordinator.TestCoordinator.awaitStatus;
import static org.planetarymesh.coordinator.TestCoordinator.submit;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.core.protocol.Message;

/** A restarted coordinator reloads unfinished jobs: claimed ones stay put, unclaimed ones are retried, queued ones run. */
class RecoveryTest {

    @TempDir
    Path dir;

    /** Starts a coordinator, gets one job RUNNING on agent "keeper", closes the coordinator; returns the assignment. */
    private Message.AssignJob runningJobAcrossARestart() throws Exception {
        try (Coordinator before = TestCoordinator.start(dir);
                ProtocolAgent keeper =
                        ProtocolAgent.connect(before, "keeper", List.of("echo"), 2, ProtocolAgent::hold)) {
            awaitNodes(before, 1);
            String id = submit(before, "{\"type\":\"echo\",\"payload\":{\"kept\":true}}");
            Message.AssignJob assign = keeper.awaitAssignment(id, 1);
            awaitStatus(before, id, "RUNNING");
            return assign;
        }
    }

    @Test
    void agentThatReconnectsAndClaimsItsJobCompletesItOnTheSameAttempt() throws Exception {
        Message.AssignJob assign = runningJobAcrossARestart();

        try (Coordinator after = TestCoordinator.start(dir)) {
            assertThat(TestCoordinator.status(after, assign.jobId())).isEqualTo("RUNNING");
            try (ProtocolAgent keeper = ProtocolAgent.connect(
                    after,
                    ProtocolAgent.hello(
                            "keeper", List.of("echo"), 2, Map.of(), List.of(new Message.RunningJob(assign.jobId(), 1))),
                    ProtocolAgent::hold)) {
                awaitNodes(after, 1);
                keeper.finish(assign);

                JsonNode job = awaitStatus(after, assign.jobId(), "COMPLETED");
                assertThat(job.path("attempt").asInt()).isEqualTo(1);
                assertThat(job.path("attempts")).hasSize(1);
                assertThat(job.path("node_id").asText()).isEqualTo("keeper");
                assertThat(job.path("result").path("kept").asBoolean()).isTrue();
                assertThat(keeper.cancels()).isEmpty();
                assertThat(keeper.assignments()).isEmpty();
            }
        }
    }

    @Test
    void runningJobNobodyClaimsIsRetriedElsewhereAfterTheGrace() throws Exception {
        Message.AssignJob assign = runningJobAcrossARestart();

        try (Coordinator after = TestCoordinator.start(dir);
                ProtocolAgent other = ProtocolAgent.connect(after, "other", List.of("echo"), 2, ProtocolAgent::echo)) {
            long started = System.nanoTime();
            JsonNode job = awaitStatus(after, assign.jobId(), "COMPLETED");
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - started))
                    .isGreaterThan(java.time.Duration.ofMillis(1_500)); // it waited out (most of) the 2 s grace first
            assertThat(job.path("node_id").asText()).isEqualTo("other");
            assertThat(job.path("attempts")).hasSize(2);
            assertThat(job.path("attempts").get(0).path("node_id").asText()).isEqualTo("keeper");
            assertThat(job.path("attempts").get(0).path("outcome").asText()).isEqualTo("lost");
        }
    }

    @Test
    void jobsQueuedBeforeARestartRunAfterIt() throws Exception {
        List<String> ids = new java.util.ArrayList<>();
        try (Coordinator before = TestCoordinator.start(dir)) {
            for (int i = 0; i < 5; i++) {
                ids.add(submit(before, "{\"type\":\"echo\",\"payload\":{\"i\":" + i + "}}"));
            }
        }
        try (Coordinator after = TestCoordinator.start(dir);
                ProtocolAgent agent = ProtocolAgent.connect(after, "node-a", List.of("echo"), 2, ProtocolAgent::echo)) {
            for (int i = 0; i < ids.size(); i++) {
                JsonNode job = awaitStatus(after, ids.get(i), "COMPLETED");
                assertThat(job.path("result").path("i").asInt()).isEqualTo(i);
                assertThat(job.path("attempts")).hasSize(1);
            }
        }
    }
}
