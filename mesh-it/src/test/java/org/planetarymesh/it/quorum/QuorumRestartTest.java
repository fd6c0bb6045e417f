package org.planetarymesh.it.quorum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.client.MeshUnavailableException;
import org.planetarymesh.core.job.Attempt;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobSpecParser;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.it.MeshCluster;
import org.planetarymesh.it.MeshProcess;

/**
 * A coordinator killed with SIGKILL in the middle of a quorum loses nothing: two replicas ended before the kill, the
 * third (on a slow node) was running; after the restart the verified job still knows the two outputs, the third
 * replica runs again (its output began before the restart) and the job completes with all three agreeing.
 */
class QuorumRestartTest {

    @TempDir
    Path dir;

    @Test
    void aCoordinatorKilledMidQuorumResumesItFromTheStore() throws Exception {
        try (MeshCluster mesh = new MeshCluster(dir.resolve("mesh"))) {
            MeshProcess coordinator = mesh.startCoordinator();
            String plugins = LyingPlugin.pluginsDir(dir).toString();
            mesh.startAgent("fast-a", "--plugins", plugins);
            mesh.startAgent("fast-b", "--plugins", plugins);
            mesh.startAgent("slow", "--plugins", plugins, "--executor-setting", "double.delay_ms=6000");
            String id;
            try (MeshClient client = MeshClient.connect(mesh.url(), mesh.token())) {
                id = client.submit(JobSpecParser.parse(Json.mapper()
                                .readTree("{\"type\":\"double\",\"payload\":{\"n\":21},"
                                        + "\"verify\":{\"replicas\":3,\"quorum\":2}}")))
                        .id();
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> statuses(client, id).stream()
                                        .filter("COMPLETED"::equals)
                                        .count()
                                == 2);
                assertThat(client.get(id).status()).isEqualTo(JobStatus.RUNNING);
                coordinator.kill9();
            }

            mesh.startCoordinator();
            try (MeshClient client = MeshClient.connect(mesh.url(), mesh.token())) {
                Job done = await().atMost(Duration.ofSeconds(60))
                        .ignoreException(MeshUnavailableException.class)
                        .until(() -> client.get(id), job -> job.status().isTerminal());

                assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
                assertThat(done.result().path("value").asLong()).isEqualTo(42);
                JsonNode replicas = client.getJson("/v1/jobs/" + id).path("replicas");
                assertThat(replicas).hasSize(3);
                List<String> outcomesOfTheSlowReplica = new ArrayList<>();
                for (JsonNode r : replicas) {
                    assertThat(r.path("verdict").asText()).isEqualTo("agreed");
                    Job replica = client.get(r.path("job_id").asText());
                    if (replica.attempts().size() > 1) {
                        replica.attempts().forEach(a -> outcomesOfTheSlowReplica.add(a.outcome()));
                    } else {
                        assertThat(replica.attempts())
                                .extracting(Attempt::outcome)
                                .containsExactly("completed");
                    }
                }
                // Its first attempt's result is never taken: it reports it after the restart (interrupted: run again,
                // no attempt used), or it finished while the coordinator was down and its node no longer lists it
                // (lost: retried).
                assertThat(outcomesOfTheSlowReplica).hasSize(2).endsWith("completed");
                assertThat(outcomesOfTheSlowReplica.getFirst()).isIn("interrupted", "lost");
            }
        }
    }

    private static List<String> statuses(MeshClient client, String id) {
        List<String> out = new ArrayList<>();
        client.getJson("/v1/jobs/" + id)
                .path("replicas")
                .forEach(r -> out.add(r.path("status").asText()));
        return out;
    }
}
