package org.planetarymesh.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.planetarymesh.coordinator.TestCoordinator.awaitNodes;
import static org.planetarymesh.coordinator.TestCoordinator.awaitStatus;
import static org.planetarymesh.coordinator.TestCoordinator.submit;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.core.job.JobIds;
import org.planetarymesh.core.protocol.Message;

/** depends_on holds a job PENDING until its dependencies complete, and fails it clearly when one cannot. */
class DependenciesTest {

    @TempDir
    Path dir;

    @Test
    void dependentWaitsPendingUntilItsDependencyCompletes() throws Exception {
        try (Coordinator coordinator = TestCoordinator.start(dir);
                ProtocolAgent agent = ProtocolAgent.connect(coordinator, "node-a", List.of("echo"), 4, (a, assign) -> {
                    if (assign.payload().path("name").asText().equals("A")) {
                        ProtocolAgent.hold(a, assign);
                    } else {
                        ProtocolAgent.echo(a, assign);
                    }
                })) {
            awaitNodes(coordinator, 1);
            String first = submit(coordinator, "{\"type\":\"echo\",\"payload\":{\"name\":\"A\"}}");
            String second = submit(
                    coordinator, "{\"type\":\"echo\",\"payload\":{\"name\":\"B\"},\"depends_on\":[\"" + first + "\"]}");
            Message.AssignJob a = agent.awaitAssignment(first, 1);
            awaitStatus(coordinator, first, "RUNNING");
            // Another job submitted after B completes while B waits: proof that the node had room for B all along.
            String bystander = submit(coordinator, "{\"type\":\"echo\"}");
            awaitStatus(coordinator, bystander, "COMPLETED");
            assertThat(TestCoordinator.status(coordinator, second)).isEqualTo("PENDING");
            assertThat(agent.assignments()).extracting(Message.AssignJob::jobId).doesNotContain(second);

            agent.finish(a);

            JsonNode b = awaitStatus(coordinator, second, "COMPLETED");
            JsonNode aDone = TestCoordinator.job(coordinator, first);
            assertThat(b.path("started_at").asText())
                    .isGreaterThanOrEqualTo(aDone.path("finished_at").asText());
        }
    }

    @Test
    void failedDependencyFailsTheDependent() throws Exception {
        try (Coordinator coordinator = TestCoordinator.start(dir);
                ProtocolAgent agent = ProtocolAgent.connect(
                        coordinator, "node-a", List.of("echo"), 4, ProtocolAgent.failing(false))) {
            awaitNodes(coordinator, 1);
            String first = submit(coordinator, "{\"type\":\"echo\"}");
            String second = submit(coordinator, "{\"type\":\"echo\",\"depends_on\":[\"" + first + "\"]}");

            awaitStatus(coordinator, first, "FAILED");
            JsonNode dependent = awaitStatus(coordinator, second, "FAILED");
            assertThat(dependent.path("error").path("code").asText()).isEqualTo("dependency_failed");
            assertThat(dependent.path("error").path("message").asText())
                    .contains(first)
                    .contains("FAILED");
            assertThat(agent.assignments()).extracting(Message.AssignJob::jobId).containsExactly(first);
        }
    }

    @Test
    void unknownDependencyFailsTheDependentClearly() throws Exception {
        try (Coordinator coordinator = TestCoordinator.start(dir)) {
            String missing = JobIds.next();
            String id = submit(coordinator, "{\"type\":\"echo\",\"depends_on\":[\"" + missing + "\"]}");

            JsonNode job = awaitStatus(coordinator, id, "FAILED");
            assertThat(job.path("error").path("code").asText()).isEqualTo("dependency_failed");
            assertThat(job.path("error").path("message").asText())
                    .contains(missing)
                    .contains("does not exist");
        }
    }
}
