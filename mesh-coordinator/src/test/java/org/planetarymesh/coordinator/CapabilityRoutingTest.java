package org.planetarymesh.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.planetarymesh.coordinator.TestCoordinator.awaitNodes;
import static org.planetarymesh.coordinator.TestCoordinator.awaitStatus;
import static org.planetarymesh.coordinator.TestCoordinator.submit;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Jobs go only to nodes that can run them; a job nobody can run stays QUEUED and says why. */
class CapabilityRoutingTest {

    @TempDir
    Path dir;

    Coordinator coordinator;
    ProtocolAgent echoNode;
    ProtocolAgent gpuNode;

    @BeforeEach
    void startMeshWithTwoDifferentNodes() throws Exception {
        coordinator = TestCoordinator.start(dir);
        echoNode = ProtocolAgent.connect(
                coordinator,
                ProtocolAgent.hello("echo-node", List.of("echo"), 4, Map.of("zone", "us"), List.of()),
                ProtocolAgent::echo);
        gpuNode = ProtocolAgent.connect(
                coordinator,
                new org.planetarymesh.core.protocol.Message.Hello(
                        "gpu-node",
                        "gpu-node",
                        List.of("gpu"),
                        List.of("echo", "sleep"),
                        List.of(),
                        4,
                        null,
                        Map.of("zone", "eu"),
                        Map.of(),
                        null,
                        null,
                        List.of()),
                ProtocolAgent::echo);
        awaitNodes(coordinator, 2);
    }

    @AfterEach
    void stop() {
        echoNode.close();
        gpuNode.close();
        coordinator.close();
    }

    @Test
    void eachJobTypeLandsOnlyOnTheNodeThatRunsIt() throws Exception {
        List<String> sleeps = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            sleeps.add(submit(coordinator, "{\"type\":\"sleep\",\"payload\":{\"i\":" + i + "}}"));
        }
        for (String id : sleeps) {
            assertThat(awaitStatus(coordinator, id, "COMPLETED").path("node_id").asText())
                    .isEqualTo("gpu-node");
        }
        assertThat(echoNode.assignments()).isEmpty();
    }

    @Test
    void requiredCapabilityAndLabelsFilterNodes() throws Exception {
        String needsGpu = submit(coordinator, "{\"type\":\"echo\",\"requirements\":{\"capabilities\":[\"gpu\"]}}");
        String needsUs = submit(coordinator, "{\"type\":\"echo\",\"requirements\":{\"labels\":{\"zone\":\"us\"}}}");
        String needsEu = submit(coordinator, "{\"type\":\"echo\",\"requirements\":{\"labels\":{\"zone\":\"eu\"}}}");

        assertThat(awaitStatus(coordinator, needsGpu, "COMPLETED")
                        .path("node_id")
                        .asText())
                .isEqualTo("gpu-node");
        assertThat(awaitStatus(coordinator, needsUs, "COMPLETED")
                        .path("node_id")
                        .asText())
                .isEqualTo("echo-node");
        assertThat(awaitStatus(coordinator, needsEu, "COMPLETED")
                        .path("node_id")
                        .asText())
                .isEqualTo("gpu-node");
    }

    @Test
    void aJobNoConnectedNodeCanRunIsAcceptedWithAWarningNamingEachNodesReason() throws Exception {
        TestCoordinator.Response created = TestCoordinator.post(coordinator, "/v1/jobs", "{\"type\":\"transcode\"}");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body().path("warnings").size()).isEqualTo(1);
        assertThat(created.body().path("warnings").get(0).asText())
                .startsWith("no connected node can run this job, so it waits until one that can joins")
                .contains("echo-node: does not run type transcode (it runs echo)")
                .contains("gpu-node: does not run type transcode (it runs echo, sleep)");

        TestCoordinator.Response missingLabel = TestCoordinator.post(
                coordinator, "/v1/jobs", "{\"type\":\"echo\",\"requirements\":{\"labels\":{\"zone\":\"mars\"}}}");
        assertThat(missingLabel.body().path("warnings").get(0).asText())
                .contains("echo-node: label zone=mars not matched");
    }

    @Test
    void aVerifiedJobWithMoreReplicasThanFittingNodesIsAcceptedWithAWarning() throws Exception {
        TestCoordinator.Response three = TestCoordinator.post(
                coordinator, "/v1/jobs", "{\"type\":\"echo\",\"verify\":{\"replicas\":3,\"quorum\":2}}");
        TestCoordinator.Response two = TestCoordinator.post(
                coordinator, "/v1/jobs", "{\"type\":\"echo\",\"verify\":{\"replicas\":2,\"quorum\":2}}");

        assertThat(three.status()).isEqualTo(201);
        assertThat(three.body().path("warnings").get(0).asText())
                .isEqualTo("only 2 connected nodes can run this job and verify needs 3 distinct ones"
                        + " (verify.replicas), so its other replicas wait until more join");
        assertThat(two.body().has("warnings")).isFalse();
    }

    @Test
    void aJobSomeNodeCanRunHasNoWarnings() throws Exception {
        TestCoordinator.Response created = TestCoordinator.post(coordinator, "/v1/jobs", "{\"type\":\"sleep\"}");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body().has("warnings")).isFalse();
    }

    @Test
    void jobNoNodeSupportsStaysQueuedWithEachCandidatesRejection() throws Exception {
        String id = submit(coordinator, "{\"type\":\"transcode\"}");

        org.awaitility.Awaitility.await()
                .atMost(ProtocolAgent.shortly())
                .until(() -> TestCoordinator.job(coordinator, id)
                                .path("routing")
                                .path("candidates")
                                .size()
                        == 2);
        JsonNode job = TestCoordinator.job(coordinator, id);
        assertThat(job.path("status").asText()).isEqualTo("QUEUED");
        assertThat(job.path("routing").path("winner").isMissingNode()
                        || job.path("routing").path("winner").isNull())
                .isTrue();
        List<String> reasons = new ArrayList<>();
        job.path("routing")
                .path("candidates")
                .forEach(c -> reasons.add(c.path("node_id").asText() + ": "
                        + c.path("rejected_by").asText()));
        assertThat(reasons)
                .containsExactlyInAnyOrder(
                        "echo-node: does not run type transcode", "gpu-node: does not run type transcode");
        assertThat(echoNode.assignments()).isEmpty();
        assertThat(gpuNode.assignments()).isEmpty();
    }

    @Test
    void unmatchedLabelIsTheRecordedRejection() throws Exception {
        String id = submit(coordinator, "{\"type\":\"echo\",\"requirements\":{\"labels\":{\"zone\":\"mars\"}}}");

        org.awaitility.Awaitility.await()
                .atMost(ProtocolAgent.shortly())
                .until(() -> TestCoordinator.job(coordinator, id)
                                .path("routing")
                                .path("candidates")
                                .size()
                        == 2);
        JsonNode job = TestCoordinator.job(coordinator, id);
        assertThat(job.path("status").asText()).isEqualTo("QUEUED");
        job.path("routing")
                .path("candidates")
                .forEach(c -> assertThat(c.path("rejected_by").asText()).isEqualTo("label zone=mars not matched"));
    }
}
