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
import org.planetarymesh.it.MeshCluster;
import org.planetarymesh.it.MeshProcess;
import org.planetarymesh.testkit.plugin.PluginJar;

/** A user's executor, compiled into its own jar at test time, becomes a job type of a real agent process. */
class PluginExecutorTest {
    private static final String SOURCE = """
            package com.example;

            import org.planetarymesh.agent.executor.*;

            public final class ReverseExecutor implements Executor {
                public String name() { return "reverse"; }

                public ExecutionResult execute(ExecutionRequest request, ExecutionContext context) {
                    String text = request.payload().path("text").asText();
                    return ExecutionResult.of(com.fasterxml.jackson.databind.node.TextNode.valueOf(
                            new StringBuilder(text).reverse().toString()));
                }
            }
            """;

    @TempDir
    Path dir;

    private Path pluginJar() throws Exception {
        // Compiled against mesh.jar, as a user outside this repository would.
        return PluginJar.build(
                dir,
                "com.example.ReverseExecutor",
                SOURCE,
                MeshProcess.jar().toString(),
                "org.planetarymesh.agent.executor.Executor");
    }

    @Test
    void anExecutorInASeparateJarOnTheAgentsClassPathRunsJobsOfItsType() throws Exception {
        Path jar = pluginJar();
        try (MeshCluster mesh = new MeshCluster(dir)) {
            mesh.startCoordinator();
            MeshProcess agent = mesh.startAgentWithJars("plugged", List.of(jar));
            assertThat(agent.log()).containsPattern("executors \\[.*reverse.*\\]");

            try (MeshClient client = MeshClient.connect(mesh.url(), mesh.token())) {
                Job job = client.submit(JobSpec.of("reverse", Jobs.json("{\"text\":\"mesh\"}")));
                Job done = client.await(job.id(), Duration.ofSeconds(30));

                assertThat(done.status()).as(String.valueOf(done.error())).isEqualTo(JobStatus.COMPLETED);
                assertThat(done.result().asText()).isEqualTo("hsem");
            }
        }
    }
}
