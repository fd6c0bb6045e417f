package org.planetarymesh.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job whose insert the store refuses for good (here a trigger in the real SQLite file refuses it, as a constraint
 * would) was handed to the scheduler before the commit: it must leave no trace in {@code /v1/stats}, which must keep
 * agreeing with the store, and the jobs around it must be unaffected.
 */
class StoreRefusalTest {

    @TempDir
    Path dir;

    @Test
    void aJobTheStoreRefusedIsNotCountedAndTheStatsAgreeWithTheStore() throws Exception {
        try (Coordinator coordinator = TestCoordinator.start(dir)) {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("mesh.db"));
                    Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout = 10000");
                s.execute("CREATE TRIGGER refuse_poison BEFORE INSERT ON jobs WHEN NEW.type = 'poison'"
                        + " BEGIN SELECT RAISE(ABORT, 'poison is refused'); END");
            }
            String kept = TestCoordinator.submit(coordinator, "{\"type\":\"echo\"}");

            TestCoordinator.Response refused = TestCoordinator.post(coordinator, "/v1/jobs", "{\"type\":\"poison\"}");
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.body().path("error").path("message").asText()).contains("poison is refused");

            await().atMost(ProtocolAgent.shortly())
                    .until(() -> TestCoordinator.get(coordinator, "/v1/stats")
                                    .body()
                                    .path("total")
                                    .asLong()
                            == 1);
            var stats = TestCoordinator.get(coordinator, "/v1/stats").body();
            assertThat(stats.path("jobs").path("QUEUED").asLong()).isEqualTo(1);
            assertThat(stats.path("jobs").path("CANCELLED").asLong()).isZero();
            var stored = TestCoordinator.get(coordinator, "/v1/jobs").body().path("jobs");
            assertThat(stored).hasSize(1);
            assertThat(stored.get(0).path("id").asText()).isEqualTo(kept);

            try (ProtocolAgent agent =
                    ProtocolAgent.connect(coordinator, "node-a", List.of("echo", "poison"), 4, ProtocolAgent::echo)) {
                TestCoordinator.awaitStatus(coordinator, kept, "COMPLETED");
                var after = TestCoordinator.get(coordinator, "/v1/stats").body();
                assertThat(after.path("jobs").path("COMPLETED").asLong()).isEqualTo(1);
                assertThat(after.path("total").asLong()).isEqualTo(1);
            }
        }
    }
}
