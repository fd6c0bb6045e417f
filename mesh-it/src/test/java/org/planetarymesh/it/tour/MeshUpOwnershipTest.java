package org.planetarymesh.it.tour;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.it.MeshCluster;
import org.planetarymesh.it.MeshProcess.Result;

/**
 * What a real {@code mesh up} owns: its embedded agent is its own by key (scope LOCAL runs there, with no label to
 * claim it), and its data dir is its alone (a second {@code mesh up} on it is refused, saying who holds it).
 */
class MeshUpOwnershipTest {

    private static final Duration COMMAND = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void localJobsRunOnTheEmbeddedAgentAndASecondMeshUpOnTheDataDirIsRefused() {
        try (LocalMesh mesh = new LocalMesh(dir)) {
            long pid = mesh.start().pid();
            Result local = mesh.mesh(COMMAND, "submit", "echo", "--scope", "LOCAL", "--payload", "{\"a\":1}", "--wait");
            assertThat(local.exitCode()).as(local.stdout() + local.stderr()).isZero();
            try (MeshClient client = mesh.client()) {
                assertThat(client.nodes()).hasSize(1);
                assertThat(client.nodes().getFirst().labels()).doesNotContainKey("mesh.local");
            }

            Result second =
                    mesh.mesh(COMMAND, "up", "--port", Integer.toString(MeshCluster.freePort()), "--data-dir", ".mesh");
            assertThat(second.exitCode()).isEqualTo(1);
            assertThat(second.stderr())
                    .contains("in use by another coordinator")
                    .contains("pid " + pid)
                    .contains("data_dir_in_use");
        }
    }
}
