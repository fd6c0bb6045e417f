package org.planetarymesh.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.planetarymesh.coordinator.TestCoordinator.awaitNodes;
import static org.planetarymesh.coordinator.TestCoordinator.awaitStatus;
import static org.planetarymesh.coordinator.TestCoordinator.cancel;
import static org.planetarymesh.coordinator.TestCoordinator.submit;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.core.job.JobIds;
import org.planetarymesh.core.protocol.Message;

/** Cancelling running and queued jobs: the agent is told, the job ends CANCELLED, and repeats are refused. */
class CancelTest {

    @TempDir
    Path dir;

    @Test
    void cancelOfARunningJobTellsTheAgentAndEndsCancelled() throws Exception {
        try (Coordinator coordinator = TestCoordinator.start(dir);
                ProtocolAgent agent =
                        ProtocolAgent.connect(coordinator, "node-a", List.of("echo"), 2, ProtocolAgent::hold)) {
            awaitNodes(coordinator, 1);
            String id = submit(coordinator, "{\"type\":\"echo\"}");
            agent.awaitAssignment(id, 1);
            awaitStatus(coordinator, id, "RUNNING");

            var cancelled = cancel(coordinator, id);
            assertThat(cancelled.status()).isEqualTo(200);
            assertThat(cancelled.body().path("status").asText()).isEqualTo("CANCELLED");
            assertThat(cancelled.body().path("error").path("code").asText()).isEqualTo("cancelled");
            await().atMost(ProtocolAgent.shortly()).until(() -> !agent.cancels().isEmpty());
            Message.JobCancel frame = agent.cancels().getFirst();
            assertThat(frame.jobId()).isEqualTo(id);
            assertThat(frame.attempt()).isEqualTo(1);
            assertThat(TestCoordinator.status(coordinator, id)).isEqualTo("CANCELLED");

            var again = cancel(coordinator, id);
            assertThat(again.status()).isEqualTo(409);
            assertThat(again.body().path("error").path("code").asText()).isEqualTo("invalid_transition");
        }
    }

    @Test
    void cancelOfAQueuedJobWorksWithoutAnyAgent() throws Exception {
        try (Coordinator coordinator = TestCoordinator.start(dir)) {
            String id = submit(coordinator, "{\"type\":\"echo\"}");
            assertThat(TestCoordinator.status(coordinator, id)).isEqualTo("QUEUED");

            var cancelled = cancel(coordinator, id);
            assertThat(cancelled.status()).isEqualTo(200);
            assertThat(cancelled.body().path("status").asText()).isEqualTo("CANCELLED");
            assertThat(TestCoordinator.status(coordinator, id)).isEqualTo("CANCELLED");

            // A node joining later must not run it.
            try (ProtocolAgent agent =
                    ProtocolAgent.connect(coordinator, "late", List.of("echo"), 2, ProtocolAgent::echo)) {
                String probe = submit(coordinator, "{\"type\":\"echo\"}");
                awaitStatus(coordinator, probe, "COMPLETED");
                assertThat(agent.assignments())
                        .extracting(Message.AssignJob::jobId)
                        .containsExactly(probe);
            }
        }
    }

    @Test
    void cancelOfAnUnknownJobIs404() throws Exception {
        try (Coordinator coordinator = TestCoordinator.start(dir)) {
            var response = cancel(coordinator, JobIds.next());
            assertThat(response.status()).isEqualTo(404);
            assertThat(response.body().path("error").path("code").asText()).isEqualTo("not_found");
        }
    }
}
