package org.planetarymesh.it.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.it.MeshProcess;
import org.planetarymesh.it.MeshProcess.Result;

/**
 * {@code mesh bench} end to end on small job counts: a real coordinator, agent processes or light agents, and the
 * {@code RESULT} lines BENCHMARKS.md quotes. The figures themselves are not asserted (benchmarks, not timed tests).
 */
class BenchCommandTest {

    private static final Duration LIMIT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    @Test
    void throughputRunsOnAgentProcessesAndPrintsItsResults() {
        Result run = bench(
                "throughput",
                "--jobs",
                "500",
                "--agents",
                "2",
                "--concurrency",
                "8",
                "--batch",
                "100",
                "--warmup",
                "-1");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(result(run, "throughput_jobs")).isEqualTo(500);
        assertThat(result(run, "throughput")).isPositive();
        assertThat(result(run, "throughput_enqueue_rate")).isPositive();
        // The machine's busy CPU over the measured part, per job (Linux's /proc/stat; CI runs on Linux).
        assertThat(result(run, "throughput_cpu_per_job")).isPositive();
    }

    @Test
    void manyAgentsWithBinPackPlacesEveryJobByThatPolicy() throws SQLException {
        Path db = dir.resolve("bench.db");
        Result run = bench(
                "many-agents",
                "--agents",
                "40",
                "--jobs",
                "400",
                "--batch",
                "100",
                "--warmup",
                "-1",
                "--placement",
                "bin-pack",
                "--database-url",
                "jdbc:sqlite:" + db);

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(result(run, "many_agents_connected")).isEqualTo(40);
        assertThat(result(run, "many_agents_throughput_jobs")).isEqualTo(400);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT json_extract(doc, '$.routing.policy'), status, COUNT(*)"
                        + " FROM jobs GROUP BY 1, 2")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("bin-pack");
            assertThat(rs.getString(2)).isEqualTo("COMPLETED");
            assertThat(rs.getLong(3)).isEqualTo(400);
            assertThat(rs.next())
                    .as("every job completed and was placed by bin-pack")
                    .isFalse();
        }
    }

    @Test
    void anUnknownPlacementIsRefusedWithTheChoices() {
        Result run = bench("throughput", "--placement", "random");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr())
                .contains("--placement must be first-healthy, least-loaded, bin-pack or auction (got 'random')");
    }

    @Test
    void auctionMeasuresAnnounceToAssignedAndThroughputAgainstLeastLoaded() {
        Result run = bench(
                "auction", "--jobs", "400", "--agents", "4", "--concurrency", "8", "--batch", "100", "--warmup", "-1");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(decimal(run, "auction_announce_to_assigned_p50")).isPositive();
        assertThat(decimal(run, "auction_announce_to_assigned_p99")).isPositive();
        assertThat(result(run, "throughput_least_loaded_jobs")).isEqualTo(400);
        assertThat(result(run, "throughput_auction_jobs")).isEqualTo(400);
        assertThat(decimal(run, "auction_throughput_ratio")).isPositive();
    }

    private static double decimal(Result run, String name) {
        Matcher m = Pattern.compile("(?m)^RESULT " + Pattern.quote(name) + "=([0-9.]+) ")
                .matcher(run.stdout());
        assertThat(m.find()).as("RESULT %s in:\n%s", name, run.stdout()).isTrue();
        return Double.parseDouble(m.group(1));
    }

    /** Runs {@code mesh bench ARGS...} as the launcher does: the bench's own jar, its agents on the product jar. */
    private Result bench(String... args) {
        Path benchJar = Path.of(System.getProperty("mesh.bench.jar", "../mesh-bench/target/mesh-bench.jar"));
        List<String> command = new ArrayList<>(List.of(
                MeshProcess.java(),
                "--enable-native-access=ALL-UNNAMED",
                "-Dmesh.jar=" + MeshProcess.jar(),
                "-jar",
                benchJar.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        return MeshProcess.exec(dir, Map.of(), LIMIT, command);
    }

    private static long result(Result run, String name) {
        Matcher m = Pattern.compile("(?m)^RESULT " + Pattern.quote(name) + "=(\\d+) ")
                .matcher(run.stdout());
        assertThat(m.find()).as("RESULT %s in:\n%s", name, run.stdout()).isTrue();
        return Long.parseLong(m.group(1));
    }
}
