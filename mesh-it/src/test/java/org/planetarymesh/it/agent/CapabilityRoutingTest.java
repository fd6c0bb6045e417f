package org.planetarymesh.it.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobSpec;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.node.NodeInfo;
import org.planetarymesh.it.MeshCluster;
import org.planetarymesh.it.MeshProcess;

/** The agent's capability router (exact → partial → category → fallback) end to end through a real coordinator. */
class CapabilityRoutingTest {
    private static final String PAYLOAD = "{\"ms\":20,\"text\":\"hi\"}";

    /** Job type → the rule that must pick its executor on an agent with summarize=echo and fallback sleep. */
    private static final Map<String, String> RULES = new LinkedHashMap<>();

    static {
        RULES.put("echo", "exact");
        RULES.put("echo.v2", "partial");
        RULES.put("summarize", "category");
        RULES.put("translate-to-klingon", "fallback");
    }

    @TempDir
    static Path dir;

    static MeshCluster mesh;
    static MeshProcess agent;
    static MeshClient client;

    @BeforeAll
    static void startMesh() {
        mesh = new MeshCluster(dir);
        mesh.startCoordinator();
        agent = mesh.startAgent(
                "router",
                "--categories",
                "summarize=echo",
                "--fallback",
                "sleep",
                "--execute-token",
                Jobs.EXECUTE_TOKEN);
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
    void theAgentAdvertisesItsCategoriesAndAWildcardForItsFallback() {
        NodeInfo node = client.nodes().getFirst();

        assertThat(node.capabilities()).contains("echo", "sleep", "summarize", "*");
    }

    @Test
    void eachOfTheFourRulesRunsItsJobThroughTheMeshAndTheJobRecordsTheRuleThatMatched() {
        Map<String, Job> done = new LinkedHashMap<>();
        RULES.keySet()
                .forEach(type -> done.put(
                        type,
                        client.await(
                                client.submit(JobSpec.of(type, Jobs.json(PAYLOAD)))
                                        .id(),
                                Duration.ofSeconds(30))));

        done.forEach((type, job) ->
                assertThat(job.status()).as(type + ": " + job.error()).isEqualTo(JobStatus.COMPLETED));
        JsonNode echoed = Jobs.json(PAYLOAD);
        JsonNode slept = Jobs.json("{\"slept_ms\":20}");
        assertThat(done.get("echo").result()).as("exact → echo").isEqualTo(echoed);
        assertThat(done.get("echo.v2").result()).as("partial → echo").isEqualTo(echoed);
        assertThat(done.get("summarize").result()).as("category → echo").isEqualTo(echoed);
        assertThat(done.get("translate-to-klingon").result())
                .as("fallback → sleep")
                .isEqualTo(slept);
        RULES.forEach((type, rule) -> {
            JsonNode attempt = client.getJson("/v1/jobs/" + done.get(type).id())
                    .path("attempts")
                    .path(0);
            assertThat(attempt.path("route_rule").asText())
                    .as("route_rule of " + type + ": " + attempt)
                    .isEqualTo(rule);
            assertThat(attempt.path("executor").asText())
                    .as(type)
                    .isEqualTo(type.startsWith("translate") ? "sleep" : "echo");
        });
    }

    @Test
    void theAgentReportsWhichRuleMatchedOnItsLocalApi() {
        int port = Jobs.localApiPort(agent);
        RULES.forEach((type, rule) -> {
            var answer = Jobs.execute(
                    "http://127.0.0.1:" + port + "/execute", "{\"type\":\"" + type + "\",\"payload\":" + PAYLOAD + "}");
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(Jobs.json(answer.body()).path("route_rule").asText())
                    .as(type)
                    .isEqualTo(rule);
        });
    }
}
