package org.planetarymesh.it.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobSpec;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.it.MeshCluster;
import org.planetarymesh.it.MeshProcess;
import org.planetarymesh.it.agent.Jobs;

/**
 * {@code mesh up}'s embedded agent takes the executor flags {@code mesh agent} takes: a plugins directory, executor
 * settings and the shell allow-list; and a refusal tells the user the {@code mesh up} flag to change.
 */
class UpWithExecutorsTest {
    @TempDir
    Path dir;

    @Test
    void upLoadsPluginsAndAllowsShellCommandsAndNamesItsOwnFlagWhenOneIsRefused() throws Exception {
        DocumentedPlugin plugin = DocumentedPlugin.extract(dir.resolve("checksum-executor"));
        Path jar = plugin.buildJar("checksum-executor.jar");
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Files.copy(jar, plugins.resolve(jar.getFileName()));
        int port = MeshCluster.freePort();

        try (MeshProcess up = MeshProcess.start(
                "up",
                dir,
                Map.of(),
                "up",
                "--port",
                Integer.toString(port),
                "--data-dir",
                "state",
                "--plugins",
                "plugins",
                "--executor-setting",
                "checksum.algorithm=SHA-256",
                "--allow-shell",
                "echo")) {
            up.awaitLog("Planetary Mesh is up at", MeshCluster.START);
            String token = Files.readString(dir.resolve("state/admin.token")).strip();
            try (MeshClient client = MeshClient.connect("http://127.0.0.1:" + port, token)) {
                Job checksum = run(client, "checksum", "{\"text\":\"abc\"}");
                assertThat(checksum.status())
                        .as(String.valueOf(checksum.error()))
                        .isEqualTo(JobStatus.COMPLETED);
                assertThat(checksum.result().path("algorithm").asText()).isEqualTo("SHA-256");

                Job echo = run(client, "shell", "{\"command\":[\"echo\",\"from up\"]}");
                assertThat(echo.status()).as(String.valueOf(echo.error())).isEqualTo(JobStatus.COMPLETED);
                assertThat(echo.result().path("stdout_tail").asText()).isEqualTo("from up\n");

                Job ls = run(client, "shell", "{\"command\":[\"ls\"]}");
                assertThat(ls.status()).isEqualTo(JobStatus.FAILED);
                assertThat(ls.error().code()).isEqualTo("unsupported");
                assertThat(ls.error().message())
                        .contains("`mesh up --allow-shell echo,ls`")
                        .doesNotContain("mesh agent");

                Job http = run(client, "http", "{\"url\":\"http://127.0.0.1:1/\"}");
                assertThat(http.status()).isEqualTo(JobStatus.FAILED);
                assertThat(http.error().message()).contains("`mesh up --allow-http 127.0.0.1`");
            }
        }
    }

    private static Job run(MeshClient client, String type, String payload) {
        return client.await(client.submit(JobSpec.of(type, Jobs.json(payload))).id(), Duration.ofSeconds(30));
    }
}
