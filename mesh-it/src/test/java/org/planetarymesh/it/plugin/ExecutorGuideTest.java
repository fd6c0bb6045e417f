package org.planetarymesh.it.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
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
 * docs/EXECUTORS.md's example executor, built from the page, dropped in a plugins directory and loaded by a real agent
 * started through the {@code ./mesh} launcher (which runs {@code java -jar}, so only the plugins directory can bring
 * it in) with the page's own {@code agent.toml}.
 */
class ExecutorGuideTest {
    @TempDir
    Path dir;

    private DocumentedPlugin pluginInstalled() throws Exception {
        DocumentedPlugin plugin = DocumentedPlugin.extract(dir.resolve("checksum-executor"));
        assertThat(plugin.file("pom.xml"))
                .as("the page's pom builds against the API, which the agent provides")
                .contains("<artifactId>mesh-executor-api</artifactId>")
                .contains("<scope>provided</scope>");
        Path jar = plugin.buildJar("checksum-executor.jar");
        Path plugins = Files.createDirectories(plugin.project().resolve("plugins"));
        Files.copy(jar, plugins.resolve(jar.getFileName()));
        return plugin;
    }

    @Test
    void theGuidesExampleRunsJobsInAnAgentStartedThroughTheLauncherWithPlugins() throws Exception {
        DocumentedPlugin plugin = pluginInstalled();
        Path launcher = Launcher.copyInto(dir.resolve("launcher"));
        try (MeshCluster mesh = new MeshCluster(dir.resolve("mesh"))) {
            mesh.startCoordinator();
            // The page's agent.toml as is (plugins = "plugins", SHA-512); the flags add this mesh's address and token.
            MeshProcess agent =
                    mesh.startAgentThroughLauncher("guide", launcher, plugin.project(), "--config", "agent.toml");
            assertThat(agent.log()).contains("executors [checksum, echo, http, inference, shell, sleep, wasm]");

            try (MeshClient client = MeshClient.connect(mesh.url(), mesh.token())) {
                Job done = client.await(
                        client.submit(JobSpec.of("checksum", Jobs.json("{\"text\":\"hello mesh\"}")))
                                .id(),
                        Duration.ofSeconds(30));
                assertThat(done.status()).as(String.valueOf(done.error())).isEqualTo(JobStatus.COMPLETED);
                String expected = HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-512")
                                .digest("hello mesh".getBytes(StandardCharsets.UTF_8)));
                assertThat(done.result().path("algorithm").asText()).isEqualTo("SHA-512");
                assertThat(done.result().path("hex").asText()).isEqualTo(expected);
                assertThat(done.result().path("bytes").asInt()).isEqualTo(10);

                Job refused = client.await(
                        client.submit(JobSpec.of("checksum", Jobs.json("{\"number\":1}")))
                                .id(),
                        Duration.ofSeconds(30));
                assertThat(refused.status()).isEqualTo(JobStatus.FAILED);
                assertThat(refused.error().code()).isEqualTo("invalid_payload");
                assertThat(refused.error().message()).contains("checksum needs {\"text\": \"...\"}");
            }
        }
    }

    @Test
    void aWrongPluginSettingStopsTheAgentNamingTheSettingAndWhereItCameFrom() throws Exception {
        DocumentedPlugin plugin = pluginInstalled();
        Path launcher = Launcher.copyInto(dir.resolve("launcher"));

        MeshProcess.Result result = MeshProcess.exec(
                plugin.project(),
                Map.of(),
                Duration.ofSeconds(60),
                List.of(
                        launcher.toString(),
                        "agent",
                        "--plugins",
                        "plugins",
                        "--data-dir",
                        "data",
                        "--executor-setting",
                        "checksum.algorithm=MD7"));

        assertThat(result.exitCode()).as(result.stdout()).isNotZero();
        assertThat(result.stderr())
                .contains("executor checksum, setting 'algorithm' (from flag --executor-setting checksum.algorithm)")
                .contains("'MD7' is not a digest this JVM knows; try SHA-256");
    }
}
