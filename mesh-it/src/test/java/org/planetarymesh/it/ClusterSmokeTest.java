package org.planetarymesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.core.job.JobSpec;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.json.Json;

/** The smallest real mesh: a coordinator process, an agent process, one job through the SDK. */
class ClusterSmokeTest {

    @TempDir
    Path dir;

    @Test
    void aJobRunsOnARealAgentProcess() throws Exception {
        try (MeshCluster cluster = new MeshCluster(dir)) {
            cluster.startCoordinator();
            cluster.startAgent("a1");
            try (MeshClient client = MeshClient.connect(cluster.url(), cluster.token())) {
                var job = client.submit(JobSpec.of("echo", Json.mapper().readTree("{\"n\":1}")));
                var done = client.await(job.id(), Duration.ofSeconds(30));
                assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
                assertThat(done.result().path("n").asInt()).isEqualTo(1);
            }
        }
    }
}
