package org.planetarymesh.it.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.client.JobQuery;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.it.MeshCluster;
import org.planetarymesh.it.MeshProcess;

/** An agent runs at most max_concurrent jobs: one more is refused out_of_capacity, and the mesh never exceeds it. */
class CapacityTest {
    @TempDir
    static Path dir;

    static MeshCluster mesh;
    static MeshProcess single;
    static MeshClient client;

    @BeforeAll
    static void startMesh() {
        mesh = new MeshCluster(dir);
        mesh.startCoordinator();
        single = mesh.startAgent(
                "single", "--max-concurrent", "1", "--labels", "pool=single", "--execute-token", Jobs.EXECUTE_TOKEN);
        mesh.startAgent("double", "--max-concurrent", "2", "--labels", "pool=double");
        client = MeshClient.connect(mesh.url(), mesh.token());
    }

    @AfterAll
    static void stopMesh() {
        if (client != null) {
            client.close();
        }
        if (mesh != null) {
            mesh.close();
        }
    }

    @Test
    void oneJobMoreThanMaxConcurrentIsRefusedOutOfCapacityOnTheLocalApi() throws Exception {
        String base = "http://127.0.0.1:" + Jobs.localApiPort(single);
        try (HttpClient http = HttpClient.newHttpClient()) {
            CompletableFuture<HttpResponse<String>> first = http.sendAsync(
                    HttpRequest.newBuilder(URI.create(base + "/execute"))
                            .header("Authorization", "Bearer " + Jobs.EXECUTE_TOKEN)
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"job_id\":\"first\",\"type\":\"sleep\",\"payload\":{\"ms\":2000}}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> Jobs.json(Jobs.get(base + "/healthz").body())
                                    .path("load")
                                    .asDouble()
                            == 1.0);

            var second = Jobs.execute(
                    base + "/execute", "{\"job_id\":\"second\",\"type\":\"sleep\",\"payload\":{\"ms\":1}}");

            assertThat(second.statusCode()).as(second.body()).isEqualTo(429);
            assertThat(Jobs.json(second.body()).path("error").path("code").asText())
                    .isEqualTo("out_of_capacity");
            assertThat(first.get().statusCode())
                    .as("the running job is unaffected")
                    .isEqualTo(200);
            var third =
                    Jobs.execute(base + "/execute", "{\"job_id\":\"third\",\"type\":\"sleep\",\"payload\":{\"ms\":1}}");
            assertThat(third.statusCode())
                    .as("a slot is free again: " + third.body())
                    .isEqualTo(200);
        }
    }

    @Test
    void fiveJobsOnAnAgentWithMaxConcurrentTwoNeverRunMoreThanTwoAtOnce() {
        List<String> ids = client.submitAll(java.util.stream.IntStream.range(0, 5)
                .mapToObj(i -> Jobs.once("sleep", "{\"ms\":1200}", Map.of("pool", "double")))
                .toList());
        List<Integer> samples = new ArrayList<>();

        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    List<Job> running = client.list(
                                    JobQuery.all().withStatus(JobStatus.RUNNING).withLimit(100))
                            .jobs();
                    samples.add((int)
                            running.stream().filter(j -> ids.contains(j.id())).count());
                    return ids.stream().allMatch(id -> client.get(id).status().isTerminal());
                });

        assertThat(ids).allMatch(id -> client.get(id).status() == JobStatus.COMPLETED);
        assertThat(samples)
                .as("RUNNING counts sampled while they ran")
                .allMatch(n -> n <= 2)
                .contains(2);
    }
}
