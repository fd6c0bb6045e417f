package org.planetarymesh.it.quorum;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobSpec;
import org.planetarymesh.core.job.JobSpecParser;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.it.MeshCluster;

/**
 * k-of-n verification on real processes: a coordinator (receipts on) and five agents that load the test-only {@code
 * double} executor plugin, three honest and two lying (one answers 2n + 1000, the other 2n + 2000). Labels pick which
 * three nodes a scenario's jobs may use, so every scenario has exactly its liars among the candidates: with three
 * nodes and three replicas on distinct nodes, every node runs one replica of every job.
 */
class QuorumEndToEndTest {

    @TempDir
    static Path dir;

    static MeshCluster mesh;
    static MeshClient client;
    /** Agent name to node id. */
    static final Map<String, String> NODES = new HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        mesh = new MeshCluster(dir.resolve("mesh"));
        Path config = Files.writeString(dir.resolve("coordinator.toml"), "receipts = true\n");
        mesh.startCoordinator("--config", config.toString());
        String plugins = LyingPlugin.pluginsDir(dir).toString();
        // one: honest-a, honest-b, liar-1000 (one liar); two: honest-a, liar-1000, liar-1000b (two agreeing liars);
        // three: honest-a, liar-1000, liar-2000 (three different outputs)
        agent("honest-a", plugins, "one=y,two=y,three=y", 0);
        agent("honest-b", plugins, "one=y", 0);
        agent("liar-1000", plugins, "one=y,two=y,three=y", 1000);
        agent("liar-1000b", plugins, "two=y", 1000);
        agent("liar-2000", plugins, "three=y", 2000);
        client = MeshClient.connect(mesh.url(), mesh.token());
        for (JsonNode node : client.getJson("/v1/nodes").path("nodes")) {
            NODES.put(node.path("name").asText(), node.path("id").asText());
        }
        assertThat(NODES).containsKeys("honest-a", "honest-b", "liar-1000", "liar-1000b", "liar-2000");
    }

    private static void agent(String name, String plugins, String labels, long lie) {
        mesh.startAgent(name, "--plugins", plugins, "--labels", labels, "--executor-setting", "double.lie=" + lie);
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (mesh != null) {
            mesh.close();
        }
    }

    private static JobSpec verified(long n, String label) {
        return JobSpecParser.parse(json("{\"type\":\"double\",\"payload\":{\"n\":" + n + "},"
                + "\"requirements\":{\"labels\":{\"" + label + "\":\"y\"}},"
                + "\"verify\":{\"replicas\":3,\"quorum\":2}}"));
    }

    private static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The replicas of job {@code id} as the API shows them, by node name. */
    private static Map<String, JsonNode> replicasByNode(String id) {
        Map<String, JsonNode> byNode = new HashMap<>();
        for (JsonNode r : client.getJson("/v1/jobs/" + id).path("replicas")) {
            String name = NODES.entrySet().stream()
                    .filter(e -> e.getValue().equals(r.path("node_id").asText()))
                    .map(Map.Entry::getKey)
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("replica on an unknown node: " + r));
            assertThat(byNode.put(name, r))
                    .as("two replicas of job %s on node %s", id, name)
                    .isNull();
        }
        return byNode;
    }

    @Test
    void oneLiarAmongThreeIsCaughtInEveryOneOfAHundredRuns() {
        List<String> ids = new ArrayList<>();
        for (int n = 0; n < 100; n++) {
            ids.add(client.submit(verified(n, "one")).id());
        }
        for (int n = 0; n < 100; n++) {
            Job done = client.await(ids.get(n), Duration.ofSeconds(120));
            assertThat(done.status()).as("job %d: %s", n, done.error()).isEqualTo(JobStatus.COMPLETED);
            assertThat(done.result().path("value").asLong()).as("job %d", n).isEqualTo(2L * n);
            Map<String, JsonNode> replicas = replicasByNode(done.id());
            assertThat(replicas).containsOnlyKeys("honest-a", "honest-b", "liar-1000");
            assertThat(replicas.get("liar-1000").path("verdict").asText()).isEqualTo("dissented");
            assertThat(replicas.get("liar-1000").path("result").path("value").asLong())
                    .isEqualTo(2L * n + 1000);
            assertThat(replicas.get("honest-a").path("verdict").asText()).isEqualTo("agreed");
            assertThat(replicas.get("honest-b").path("verdict").asText()).isEqualTo("agreed");
            assertThat(replicas.get("honest-a").path("output_cid").asText())
                    .isEqualTo(replicas.get("honest-b").path("output_cid").asText())
                    .isNotEqualTo(replicas.get("liar-1000").path("output_cid").asText());
            // Receipts are on: every replica's own signed receipt is attached.
            replicas.values()
                    .forEach(r -> assertThat(r.path("receipt_cid").asText()).startsWith("b"));
        }
        // Each dissent counts against the liar's stored reputation (written within a second), never the honest ones'.
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(dissents("liar-1000")).isGreaterThanOrEqualTo(100);
            assertThat(dissents("honest-b")).isZero();
        });
    }

    /** The dissents (counted with invalid receipts) in the coordinator's stored reputation of node {@code name}. */
    private static long dissents(String name) throws Exception {
        Path db = mesh.dir().resolve("coordinator/mesh.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                PreparedStatement ps =
                        c.prepareStatement("SELECT invalid_receipts FROM node_reputation WHERE node_id = ?")) {
            ps.setString(1, NODES.get(name));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /**
     * The documented limit: when two of three nodes tell the same lie, the mesh cannot know. It accepts the liars'
     * answer and records the honest node as the dissenter.
     */
    @Test
    void twoAgreeingLiarsOutvoteTheHonestNode() {
        Job done = client.await(client.submit(verified(21, "two")).id(), Duration.ofSeconds(60));

        assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(done.result().path("value").asLong()).isEqualTo(42 + 1000);
        Map<String, JsonNode> replicas = replicasByNode(done.id());
        assertThat(replicas.get("honest-a").path("verdict").asText()).isEqualTo("dissented");
        assertThat(replicas.get("liar-1000").path("verdict").asText()).isEqualTo("agreed");
        assertThat(replicas.get("liar-1000b").path("verdict").asText()).isEqualTo("agreed");
    }

    @Test
    void threeDifferentOutputsEndDisputedListingEachOutputAndItsNode() {
        Job done = client.await(client.submit(verified(5, "three")).id(), Duration.ofSeconds(60));

        assertThat(done.status()).isEqualTo(JobStatus.DISPUTED);
        assertThat(done.error().code()).isEqualTo("quorum_not_reached");
        assertThat(done.error().message()).contains("no output was produced by 2 of 3 replicas: 3 distinct outputs");
        JsonNode outputs = done.result().path("outputs");
        assertThat(outputs).hasSize(3);
        Map<Long, String> valueToNode = new HashMap<>();
        for (JsonNode o : outputs) {
            assertThat(o.path("nodes")).hasSize(1);
            assertThat(o.path("output_cid").asText()).startsWith("b");
            valueToNode.put(
                    o.path("result").path("value").asLong(),
                    o.path("nodes").get(0).asText());
        }
        assertThat(valueToNode)
                .containsEntry(10L, NODES.get("honest-a"))
                .containsEntry(1010L, NODES.get("liar-1000"))
                .containsEntry(2010L, NODES.get("liar-2000"));
        replicasByNode(done.id())
                .values()
                .forEach(r -> assertThat(r.path("verdict").asText()).isEqualTo("dissented"));
    }
}
