package org.planetarymesh.it.delayed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.client.MeshUnavailableException;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobSpec;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.it.MeshCluster;
import org.planetarymesh.it.MeshProcess;

/**
 * A delayed job waits durably: the coordinator is killed with SIGKILL while the job waits for its time, and after a
 * restart on the same data dir the job still starts, and no earlier than its time.
 */
class DelayedJobKillTest {

    private static final Duration DELAY = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void aDelayedJobSurvivesAKillDashNineAndStartsNoEarlierThanItsTime() {
        try (MeshCluster mesh = new MeshCluster(dir)) {
            MeshProcess coordinator = mesh.startCoordinator();
            mesh.startAgent("a1");
            Instant runAt;
            String id;
            try (MeshClient client = MeshClient.connect(mesh.url(), mesh.token())) {
                runAt = Instant.now().plus(DELAY);
                Job job = client.submit(JobSpec.of("echo", null).withRunAt(runAt));
                id = job.id();
                assertThat(job.status()).isEqualTo(JobStatus.PENDING);
                assertThat(job.notBefore()).isEqualTo(runAt);
                assertThat(client.get(id).status())
                        .as("still waiting before the kill")
                        .isEqualTo(JobStatus.PENDING);
            }
            coordinator.kill9();

            mesh.startCoordinator();
            try (MeshClient client = MeshClient.connect(mesh.url(), mesh.token())) {
                if (Instant.now().isBefore(runAt.minusSeconds(1))) {
                    assertThat(client.get(id).status())
                            .as("after the restart, before its time")
                            .isEqualTo(JobStatus.PENDING);
                }
                await().atMost(DELAY.plusSeconds(60))
                        .pollInterval(Duration.ofMillis(200))
                        .ignoreException(MeshUnavailableException.class)
                        .until(() -> client.get(id).status() == JobStatus.COMPLETED);
                Job done = client.get(id);
                assertThat(done.attempts()).hasSize(1);
                assertThat(done.attempts().getFirst().startedAt()).isAfterOrEqualTo(runAt);
                System.out.printf(
                        "delayed job across kill -9: due %s, started %s%n",
                        runAt, done.attempts().getFirst().startedAt());
            }
        }
    }
}
