package org.planetarymesh.it.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.node.NodeStatus;
import org.planetarymesh.it.MeshCluster;
import org.planetarymesh.it.MeshProcess;
import org.planetarymesh.it.agent.Jobs;

/**
 * Real processes: a shell job that fails until a file exists is retried with {@code mesh retry} and completes as its
 * next attempt; {@code mesh node} shows, drains, undrains and removes a real agent.
 */
class RetryAndNodeLifecycleTest {

    private static final Duration CLI = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void aFailedShellJobRetriedWithTheCliCompletes() throws Exception {
        Path marker = dir.resolve("fixed");
        try (MeshCluster cluster = new MeshCluster(dir)) {
            cluster.startCoordinator();
            cluster.startAgent("worker", "--allow-shell", "sh");
            try (MeshClient client = MeshClient.connect(cluster.url(), cluster.token())) {
                Job job = client.submit(Jobs.once(
                        "shell", "{\"command\":[\"sh\",\"-c\",\"test -f '" + marker + "' && echo fixed\"]}", Map.of()));
                Job failed = client.await(job.id(), Duration.ofSeconds(60));
                assertThat(failed.status()).isEqualTo(JobStatus.FAILED);

                Files.writeString(marker, "");
                MeshProcess.Result retried = mesh(cluster, "retry", job.id());
                assertThat(retried.exitCode()).as(retried.stderr()).isZero();
                assertThat(retried.stdout()).contains("job " + job.id() + " QUEUED");

                await().atMost(Duration.ofSeconds(60))
                        .until(() -> client.get(job.id()).status() == JobStatus.COMPLETED);
                Job done = client.get(job.id());
                assertThat(done.attempt()).isEqualTo(2);
                assertThat(done.attempts()).hasSize(2);

                MeshProcess.Result again = mesh(cluster, "retry", job.id());
                assertThat(again.exitCode()).isNotZero();
                assertThat(again.stderr()).contains("COMPLETED", "only FAILED, TIMED_OUT and CANCELLED");
            }
        }
    }

    @Test
    void meshNodeShowsDrainsUndrainsAndRemovesARealAgent() throws Exception {
        try (MeshCluster cluster = new MeshCluster(dir)) {
            cluster.startCoordinator();
            MeshProcess agent = cluster.startAgent("worker", "--labels", "role=test");
            try (MeshClient client = MeshClient.connect(cluster.url(), cluster.token())) {
                String id = client.nodes().getFirst().id();

                MeshProcess.Result shown = mesh(cluster, "node", id);
                assertThat(shown.exitCode()).as(shown.stderr()).isZero();
                assertThat(shown.stdout())
                        .contains("id:", id, "status:", "HEALTHY", "executors:", "echo", "labels:", "role=test")
                        .contains("last heartbeat:", "running jobs:");

                assertThat(mesh(cluster, "node", "drain", id).stdout()).contains("DRAINING");
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> client.node(id).status() == NodeStatus.DRAINING);
                assertThat(mesh(cluster, "node", "undrain", id).stdout()).contains("HEALTHY");
                Job echo = client.submit(Jobs.once("echo", "{\"n\":1}", Map.of()));
                assertThat(client.await(echo.id(), Duration.ofSeconds(60)).status())
                        .isEqualTo(JobStatus.COMPLETED);

                MeshProcess.Result connected = mesh(cluster, "node", "rm", id);
                assertThat(connected.exitCode()).isNotZero();
                assertThat(connected.stderr()).contains("is connected", "stop its agent first");

                agent.kill9();
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> client.node(id).status() != NodeStatus.HEALTHY);
                MeshProcess.Result removed = mesh(cluster, "node", "rm", id);
                assertThat(removed.exitCode()).as(removed.stderr()).isZero();
                assertThat(client.nodes()).isEmpty();
            }
        }
    }

    private static MeshProcess.Result mesh(MeshCluster cluster, String... args) {
        return MeshProcess.run(
                cluster.dir(), Map.of("MESH_COORDINATOR", cluster.url(), "MESH_TOKEN", cluster.token()), CLI, args);
    }
}
