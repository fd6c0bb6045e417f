package org.planetarymesh.it.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobSpec;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.job.Requirements;
import org.planetarymesh.it.MeshCluster;
import org.planetarymesh.it.MeshProcess;

/** A real agent's local API registered as a push-mode node: the coordinator runs jobs on it via POST /execute. */
class PushModeTest {
    @TempDir
    Path dir;

    @Test
    void aPushModeNodeExecutesAJobThroughPostExecute() {
        try (MeshCluster mesh = new MeshCluster(dir);
                MeshClient client = connect(mesh)) {
            MeshProcess agent = mesh.startAgent("pushed", "--execute-token", Jobs.EXECUTE_TOKEN);
            int port = Jobs.localApiPort(agent);
            var registered = Jobs.post(
                    mesh.url() + "/v1/nodes",
                    mesh.token(),
                    "{\"name\":\"p1\",\"address\":\"127.0.0.1:" + port
                            + "\",\"capabilities\":[\"echo\",\"push-only\"],\"max_concurrent\":2,\"token\":\""
                            + Jobs.EXECUTE_TOKEN + "\"}");
            assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
            String pushNode = Jobs.json(registered.body()).path("id").asText();

            // Only the push node advertises push-only, so the WebSocket link of the same agent cannot take it.
            Job job = client.submit(JobSpec.of("echo", Jobs.json("{\"via\":\"push\"}"))
                    .withRequirements(new Requirements(List.of("push-only"), null, null, null)));
            Job done = client.await(job.id(), Duration.ofSeconds(30));

            assertThat(done.status()).as(String.valueOf(done.error())).isEqualTo(JobStatus.COMPLETED);
            assertThat(done.result()).isEqualTo(Jobs.json("{\"via\":\"push\"}"));
            assertThat(done.nodeId()).isEqualTo(pushNode);
            var attempt =
                    client.getJson("/v1/jobs/" + job.id()).path("attempts").path(0);
            assertThat(attempt.path("executor").asText())
                    .as("answered by the agent's /execute: " + attempt)
                    .isEqualTo("echo");
            assertThat(attempt.path("route_rule").asText()).isEqualTo("exact");
        }
    }

    private static MeshClient connect(MeshCluster mesh) {
        mesh.startCoordinator();
        return MeshClient.connect(mesh.url(), mesh.token());
    }
}
