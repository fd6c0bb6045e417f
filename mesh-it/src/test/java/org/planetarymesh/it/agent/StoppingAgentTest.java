package org.planetarymesh.it.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.core.job.Attempt;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.it.MeshCluster;
import org.planetarymesh.it.MeshProcess;

/**
 * A separate agent stopped gracefully with a job still running hands the job back; it is not sent back to the
 * stopping agent, costs no attempt, and runs on the next agent that joins.
 */
class StoppingAgentTest {
    @TempDir
    Path dir;

    @Test
    void aJobHandedBackByAStoppingAgentRunsElsewhereWithoutUsingItsOnlyAttempt() {
        try (MeshCluster mesh = new MeshCluster(dir)) {
            mesh.startCoordinator();
            MeshProcess leaving = mesh.startAgent("leaving", "--max-concurrent", "2");
            try (MeshClient client = MeshClient.connect(mesh.url(), mesh.token())) {
                // One attempt only: were the hand-back to cost one, the job would fail.
                String id = client.submit(Jobs.once("sleep", "{\"ms\":15000}", Map.of()))
                        .id();
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> client.get(id).status() == JobStatus.RUNNING);

                leaving.interrupt(); // graceful stop: the job outlives the agent's shutdown grace (5 s)
                leaving.waitFor(Duration.ofSeconds(60));
                Job handedBack = client.get(id);
                assertThat(handedBack.status()).isEqualTo(JobStatus.QUEUED);
                assertThat(handedBack.attempts())
                        .as("handed back once, not assigned to the stopping agent again")
                        .extracting(Attempt::outcome)
                        .containsExactly("interrupted");

                mesh.startAgent("staying", "--max-concurrent", "2");
                Job done = client.await(id, Duration.ofSeconds(60));
                assertThat(done.status()).as(String.valueOf(done.error())).isEqualTo(JobStatus.COMPLETED);
                assertThat(done.attempts()).extracting(Attempt::outcome).containsExactly("interrupted", "completed");
                assertThat(done.attempts().get(1).nodeId())
                        .isNotEqualTo(done.attempts().get(0).nodeId());
            }
        }
    }
}
