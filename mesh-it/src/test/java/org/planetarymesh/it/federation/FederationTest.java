package org.planetarymesh.it.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobEvent;
import org.planetarymesh.core.job.JobSpec;
import org.planetarymesh.core.job.JobSpecParser;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.node.NodeInfo;
import org.planetarymesh.it.MeshCluster;
import org.planetarymesh.it.agent.Jobs;

/**
 * Two meshes, each a real coordinator with its own agents, federated by a peer link: an agent process of mesh A that
 * stands for mesh B ({@code mesh agent --peer-mesh B}). Jobs only B can run go there and come back; B's refusal, a
 * loop back to A, and B dying mid-job each send the job elsewhere, and nothing is recorded twice.
 */
class FederationTest {

    private static final Duration WAIT = Duration.ofSeconds(90);

    /** A shell job needing capability {@code special} that prints three lines over about a second. */
    private static final String SPECIAL_LINES = "{\"type\":\"shell\",\"payload\":{\"command\":[\"sh\",\"-c\","
            + "\"for i in 1 2 3; do echo line$i; sleep 0.3; done\"]},"
            + "\"requirements\":{\"capabilities\":[\"special\"]}}";

    /** A sleep job needing {@code special}: keeps the only such slot of mesh A busy. */
    private static final String SPECIAL_BLOCKER =
            "{\"type\":\"sleep\",\"payload\":{\"ms\":4000},\"requirements\":{\"capabilities\":[\"special\"]}}";

    @TempDir
    Path dir;

    private static JobSpec spec(String json) {
        return JobSpecParser.parse(Jobs.json(json));
    }

    private static String idOf(MeshClient client, String name) {
        return client.nodes().stream()
                .filter(n -> name.equals(n.name()))
                .map(NodeInfo::id)
                .findFirst()
                .orElseThrow();
    }

    private static List<JsonNode> jobsOn(MeshClient client) {
        List<JsonNode> jobs = new java.util.ArrayList<>();
        client.getJson("/v1/jobs?limit=1000").path("jobs").forEach(jobs::add);
        return jobs;
    }

    private static long ends(MeshClient client, String id) {
        List<JobEvent> events = new java.util.ArrayList<>();
        try (var stream = client.recordedEvents(id)) {
            stream.forEachRemaining(events::add);
        }
        return events.stream().filter(e -> e.kind() == JobEvent.Kind.END).count();
    }

    @Test
    void aJobOnlyMeshBCanRunRunsThereStreamsBackAndIsRetriedInAWhenBDies() {
        try (MeshCluster b = new MeshCluster(dir.resolve("b"));
                MeshCluster a = new MeshCluster(dir.resolve("a"))) {
            b.startCoordinator("--accept-foreign-jobs", "true");
            b.startAgent("b1", "--capabilities", "shell,sleep,special", "--allow-shell", "sh");
            a.startCoordinator();
            a.startAgent("a1");
            a.startAgent("link-b", "--peer-mesh", b.url(), "--peer-token", b.token());
            try (MeshClient clientA = MeshClient.connect(a.url(), a.token());
                    MeshClient clientB = MeshClient.connect(b.url(), b.token())) {
                String link = idOf(clientA, "link-b");
                NodeInfo linkNode = clientA.node(link);
                assertThat(linkNode.labels()).containsEntry("mesh.peer", b.url());
                assertThat(linkNode.capabilities()).contains("special").doesNotContain("*");

                List<String> output = new CopyOnWriteArrayList<>();
                Job job = clientA.submit(spec(SPECIAL_LINES));
                Job done = clientA.await(job.id(), WAIT, event -> {
                    if (event.kind() == JobEvent.Kind.CHUNK) {
                        output.add(new String(Base64.getDecoder().decode(event.data()), StandardCharsets.UTF_8));
                    }
                });

                assertThat(done.status()).as(String.valueOf(done.error())).isEqualTo(JobStatus.COMPLETED);
                assertThat(done.nodeId()).isEqualTo(link);
                assertThat(String.join("", output)).contains("line1", "line2", "line3");
                assertThat(done.routing().route().target()).isEqualTo("peer");
                assertThat(done.routing().route().reasoning())
                        .startsWith("escalated to peer mesh " + link)
                        .contains("missing capability special");
                // On B: one job, run by B's own agent, handed over by the link with its network properties.
                List<JsonNode> onB = jobsOn(clientB);
                assertThat(onB).hasSize(1);
                JsonNode remote = onB.getFirst();
                assertThat(remote.path("status").asText()).isEqualTo("COMPLETED");
                assertThat(remote.path("node_id").asText()).isEqualTo(idOf(clientB, "b1"));
                JsonNode network = remote.path("spec").path("network");
                assertThat(network.path("issuer").asText()).isEqualTo(link);
                assertThat(network.path("hops").asInt()).isEqualTo(1);
                assertThat(remote.path("result"))
                        .isEqualTo(Jobs.json(clientA.getJson("/v1/jobs/" + job.id())
                                .path("result")
                                .toString()));

                // B dies mid-job: A retries the job on a node that can run it, once, recording one end.
                String slow = "{\"type\":\"shell\",\"payload\":{\"command\":[\"sh\",\"-c\","
                        + "\"echo started; sleep 30; echo finished\"]},"
                        + "\"requirements\":{\"capabilities\":[\"special\"]},\"retry\":{\"max_attempts\":3,"
                        + "\"backoff\":{\"initial_ms\":200}}}";
                Job running = clientA.submit(spec(slow));
                await().atMost(WAIT)
                        .until(() -> jobsOn(clientB).size() == 2
                                && clientA.get(running.id()).status() == JobStatus.RUNNING);
                a.startAgent("a-special", "--capabilities", "shell,special", "--allow-shell", "sh");
                b.coordinator().kill9();
                Job retried = clientA.await(running.id(), WAIT);
                assertThat(retried.status()).as(String.valueOf(retried.error())).isEqualTo(JobStatus.COMPLETED);
                assertThat(retried.nodeId()).isEqualTo(idOf(clientA, "a-special"));
                assertThat(retried.attempts()).hasSize(2);
                assertThat(retried.attempts().getFirst().nodeId()).isEqualTo(link);
                assertThat(retried.attempts().getFirst().error().code()).isEqualTo("backend_unreachable");
                assertThat(ends(clientA, running.id())).isEqualTo(1);
            }
        }
    }

    @Test
    void meshBRefusingByPolicyMakesARouteTheJobElsewhere() {
        try (MeshCluster b = new MeshCluster(dir.resolve("b"));
                MeshCluster a = new MeshCluster(dir.resolve("a"))) {
            b.startCoordinator(); // foreign jobs refused: the default
            b.startAgent("b1", "--capabilities", "shell,sleep,special", "--allow-shell", "sh");
            a.startCoordinator();
            a.startAgent(
                    "a-special",
                    "--capabilities",
                    "shell,sleep,special",
                    "--allow-shell",
                    "sh",
                    "--max-concurrent",
                    "1");
            a.startAgent("link-b", "--peer-mesh", b.url(), "--peer-token", b.token());
            try (MeshClient clientA = MeshClient.connect(a.url(), a.token());
                    MeshClient clientB = MeshClient.connect(b.url(), b.token())) {
                Job blocker = clientA.submit(spec(SPECIAL_BLOCKER));
                await().atMost(WAIT).until(() -> clientA.get(blocker.id()).status() == JobStatus.RUNNING);

                Job job = clientA.await(clientA.submit(spec(SPECIAL_LINES)).id(), WAIT);

                assertThat(job.status()).as(String.valueOf(job.error())).isEqualTo(JobStatus.COMPLETED);
                assertThat(job.nodeId()).isEqualTo(idOf(clientA, "a-special"));
                assertThat(job.attempts().getFirst().nodeId()).isEqualTo(idOf(clientA, "link-b"));
                assertThat(job.attempts().getFirst().outcome()).isEqualTo("rejected");
                assertThat(job.attempts().getFirst().error().message()).contains("foreign_job_refused");
                assertThat(jobsOn(clientB)).isEmpty();
            }
        }
    }

    @Test
    void aLoopFromABackToAIsStoppedByMaxHops() {
        try (MeshCluster b = new MeshCluster(dir.resolve("b"));
                MeshCluster a = new MeshCluster(dir.resolve("a"))) {
            a.startCoordinator("--accept-foreign-jobs", "true");
            a.startAgent(
                    "a-special",
                    "--capabilities",
                    "shell,sleep,special",
                    "--allow-shell",
                    "sh",
                    "--max-concurrent",
                    "1");
            b.startCoordinator("--accept-foreign-jobs", "true");
            b.startAgent("b1"); // nothing special on B itself: only its link back to A has it
            b.startAgent("link-a", "--peer-mesh", a.url(), "--peer-token", a.token());
            a.startAgent(
                    "link-b",
                    "--peer-mesh",
                    b.url(),
                    "--peer-token",
                    b.token(),
                    "--executor-setting",
                    "peer.max_hops=1");
            try (MeshClient clientA = MeshClient.connect(a.url(), a.token());
                    MeshClient clientB = MeshClient.connect(b.url(), b.token())) {
                assertThat(clientA.node(idOf(clientA, "link-b")).capabilities()).contains("special");
                Job blocker = clientA.submit(spec(SPECIAL_BLOCKER));
                await().atMost(WAIT).until(() -> clientA.get(blocker.id()).status() == JobStatus.RUNNING);

                Job job = clientA.await(clientA.submit(spec(SPECIAL_LINES)).id(), WAIT);

                assertThat(job.status()).as(String.valueOf(job.error())).isEqualTo(JobStatus.COMPLETED);
                assertThat(job.nodeId()).isEqualTo(idOf(clientA, "a-special"));
                assertThat(job.attempts().getFirst().nodeId()).isEqualTo(idOf(clientA, "link-b"));
                assertThat(job.attempts().getFirst().error().message()).contains("max hops");
                // B refused it at the door: it never went round the loop.
                assertThat(jobsOn(clientB)).isEmpty();
                assertThat(jobsOn(clientA)).hasSize(2);
            }
        }
    }
}
