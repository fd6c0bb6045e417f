package org.planetarymesh.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /v1/stats} counts jobs per status from maintained counters, and the counts survive a restart. */
class StatsTest {

    @TempDir
    Path dir;

    @Test
    void countsFollowJobsThroughTheirLifecycleAndAcrossARestart() throws Exception {
        try (Coordinator coordinator = TestCoordinator.start(dir)) {
            for (int i = 0; i < 3; i++) {
                TestCoordinator.post(coordinator, "/v1/jobs", "{\"type\":\"echo\"}");
            }
            var stats = TestCoordinator.get(coordinator, "/v1/stats").body();
            assertThat(stats.path("jobs").path("QUEUED").asLong()).isEqualTo(3);
            assertThat(stats.path("total").asLong()).isEqualTo(3);

            try (ProtocolAgent agent =
                    ProtocolAgent.connect(coordinator, "node-a", List.of("echo"), 4, ProtocolAgent::echo)) {
                await().atMost(ProtocolAgent.shortly())
                        .until(() -> TestCoordinator.get(coordinator, "/v1/stats")
                                        .body()
                                        .path("jobs")
                                        .path("COMPLETED")
                                        .asLong()
                                == 3);
                assertThat(TestCoordinator.get(coordinator, "/v1/stats")
                                .body()
                                .path("jobs")
                                .path("QUEUED")
                                .asLong())
                        .isZero();
            }
            // Once the scheduler has seen the agent leave, the next job cannot be placed on it: it stays QUEUED.
            await().atMost(ProtocolAgent.shortly())
                    .until(() -> !TestCoordinator.get(coordinator, "/v1/nodes/node-a")
                            .body()
                            .path("status")
                            .asText()
                            .equals("HEALTHY"));
            TestCoordinator.post(coordinator, "/v1/jobs", "{\"type\":\"echo\"}");
        }
        try (Coordinator restarted = TestCoordinator.start(dir)) {
            var stats = TestCoordinator.get(restarted, "/v1/stats").body();
            assertThat(stats.path("jobs").path("COMPLETED").asLong()).isEqualTo(3);
            assertThat(stats.path("jobs").path("QUEUED").asLong()).isEqualTo(1);
            assertThat(stats.path("total").asLong()).isEqualTo(4);
        }
    }
}
