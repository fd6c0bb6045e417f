package org.planetarymesh.it.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.it.MeshCluster;
import org.planetarymesh.it.MeshProcess;

/** An agent outlives a kill -9 of its coordinator and reports the job that finished while the coordinator was gone. */
class CoordinatorRestartTest {
    @TempDir
    Path dir;

    @Test
    void theAgentReconnectsAfterACoordinatorRestartAndReportsAJobThatFinishedMeanwhile() {
        try (MeshCluster mesh = new MeshCluster(dir)) {
            MeshProcess coordinator = mesh.startCoordinator();
            MeshProcess agent = mesh.startAgent("survivor", "--max-concurrent", "1");
            String health = "http://127.0.0.1:" + Jobs.localApiPort(agent) + "/healthz";
            String id;
            try (MeshClient client = MeshClient.connect(mesh.url(), mesh.token())) {
                id = client.submit(Jobs.once("sleep", "{\"ms\":3000}", Map.of()))
                        .id();
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> client.get(id).status() == JobStatus.RUNNING);
            }

            coordinator.kill9();
            agent.awaitLog("coordinator link lost", Duration.ofSeconds(15));
            // The job ends on the agent while nobody listens: its slot frees up.
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> Jobs.json(Jobs.get(health).body()).path("load").asDouble() == 0.0);
            assertThat(agent.isAlive()).isTrue();

            mesh.startCoordinator();
            await().atMost(Duration.ofSeconds(30)).until(() -> agent.count("connected to coordinator") >= 2);

            try (MeshClient client = MeshClient.connect(mesh.url(), mesh.token())) {
                Job done = client.await(id, Duration.ofSeconds(30));
                assertThat(done.status()).as(String.valueOf(done.error())).isEqualTo(JobStatus.COMPLETED);
                assertThat(done.attempts())
                        .as("completed by the first attempt, not re-run")
                        .hasSize(1);
                assertThat(done.result().path("slept_ms").asLong()).isEqualTo(3000);
            }
        }
    }
}
