package org.planetarymesh.it.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.agent.identity.NodeIdentity;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobSpec;
import org.planetarymesh.core.job.JobSpecParser;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.node.NodeInfo;
import org.planetarymesh.it.MeshCluster;
import org.planetarymesh.it.MeshProcess;
import org.planetarymesh.it.agent.Jobs;

/**
 * Scopes, the router and resources with real processes: a coordinator told which agent is its own (by node id), that
 * agent, and a remote agent that claims the local label. LOCAL never leaves the own agent; a HYBRID job needing what
 * only the remote node has escalates and says why ({@code mesh job} shows it); a job needing more memory than the own
 * agent offers goes where it fits, and its reservation keeps a second such job waiting instead of over-committing.
 */
class ScopeRouterProcessTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private static JobSpec spec(String json) {
        return JobSpecParser.parse(Jobs.json(json));
    }

    private static String nodeIdOf(MeshClient client, String name) {
        return client.nodes().stream()
                .filter(n -> name.equals(n.name()))
                .map(NodeInfo::id)
                .findFirst()
                .orElseThrow();
    }

    @Test
    void scopesAreBoundToIdentityTheRouterEscalatesWithItsReasonsAndReservationsStopOverCommit() {
        // The own agent's key is made before its process starts, so the coordinator can be told its id.
        String ownId = NodeIdentity.loadOrCreate(dir.resolve("agent-own")).nodeId();
        try (MeshCluster mesh = new MeshCluster(dir)) {
            mesh.startCoordinator("--local-node", ownId);
            mesh.startAgent("own", "--offer-memory-mb", "1024", "--max-concurrent", "8");
            mesh.startAgent(
                    "impostor",
                    "--labels",
                    "mesh.local=true",
                    "--capabilities",
                    "echo,sleep,cuda",
                    "--offer-memory-mb",
                    "4096",
                    "--max-concurrent",
                    "8");
            try (MeshClient client = MeshClient.connect(mesh.url(), mesh.token())) {
                String impostor = nodeIdOf(client, "impostor");
                assertThat(nodeIdOf(client, "own")).isEqualTo(ownId);

                // LOCAL: only the own agent, whatever the other one says about itself.
                List<String> local = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    local.add(client.submit(spec("{\"type\":\"echo\",\"scope\":\"LOCAL\",\"payload\":" + i + "}"))
                            .id());
                }
                for (String id : local) {
                    Job done = client.await(id, WAIT);
                    assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
                    assertThat(done.nodeId()).isEqualTo(ownId);
                    assertThat(done.routing().route().target()).isEqualTo("local");
                }
                Job network = client.await(
                        client.submit(spec("{\"type\":\"echo\",\"scope\":\"NETWORK\"}"))
                                .id(),
                        WAIT);
                assertThat(network.nodeId()).isEqualTo(impostor);

                // HYBRID needing cuda, which only the remote node has: escalated, and the record says why.
                Job cuda = client.await(
                        client.submit(spec("{\"type\":\"echo\",\"requirements\":{\"capabilities\":[\"cuda\"]}}"))
                                .id(),
                        WAIT);
                assertThat(cuda.status()).isEqualTo(JobStatus.COMPLETED);
                assertThat(cuda.nodeId()).isEqualTo(impostor);
                JsonNode route =
                        client.getJson("/v1/jobs/" + cuda.id()).path("routing").path("route");
                assertThat(route.path("target").asText()).isEqualTo("fleet");
                assertThat(route.path("reasoning").asText())
                        .startsWith("escalated to the network")
                        .contains("missing capability cuda");
                assertThat(route.path("alternative_routes").toString()).contains("\"target\":\"local\"");

                MeshProcess.Result shown = MeshProcess.run(
                        dir,
                        Map.of("MESH_COORDINATOR", mesh.url(), "MESH_TOKEN", mesh.token()),
                        WAIT,
                        "job",
                        cuda.id());
                assertThat(shown.exitCode()).as(shown.stderr()).isZero();
                assertThat(shown.stdout())
                        .contains("Route:       fleet")
                        .contains("Reasoning:   escalated to the network")
                        .contains("Not local");

                // 3,000 MB: more than the own agent offers; the remote one holds one such job at a time.
                String big = "{\"type\":\"sleep\",\"payload\":{\"ms\":1500},"
                        + "\"requirements\":{\"resources\":{\"memory_mb\":3000}}}";
                String first = client.submit(spec(big)).id();
                String second = client.submit(spec(big)).id();
                await().atMost(WAIT)
                        .until(() -> client.get(first).status() == JobStatus.RUNNING
                                || client.get(second).status() == JobStatus.RUNNING);
                String waiting = client.get(first).status() == JobStatus.RUNNING ? second : first;
                JsonNode reasons = client.getJson("/v1/jobs/" + waiting).path("routing");
                assertThat(reasons.toString()).contains("resources reserved by running jobs");
                Job a = client.await(first, WAIT);
                Job b = client.await(second, WAIT);
                assertThat(List.of(a.nodeId(), b.nodeId())).containsOnly(impostor);
                Job earlier = a.startedAt().isBefore(b.startedAt()) ? a : b;
                Job later = earlier == a ? b : a;
                assertThat(later.startedAt())
                        .as("the second 3,000 MB job starts only after the first released its memory")
                        .isAfterOrEqualTo(earlier.finishedAt());
            }
        }
    }
}
