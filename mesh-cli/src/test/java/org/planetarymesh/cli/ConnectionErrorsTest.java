package org.planetarymesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.coordinator.Coordinator;
import org.planetarymesh.coordinator.CoordinatorConfig;

/** What the CLI says when it cannot reach a coordinator or has no token for it, against a real coordinator. */
class ConnectionErrorsTest {

    @TempDir
    static Path dir;

    private static Coordinator coordinator;

    @BeforeAll
    static void start() {
        coordinator = Coordinator.start(
                CoordinatorConfig.defaults(dir.resolve("state")).withPort(0));
    }

    @AfterAll
    static void stop() {
        coordinator.close();
    }

    @Test
    void withoutATokenTheCliSaysOnceWhereItLookedAndHowToGiveOne() {
        Path missing = dir.resolve("elsewhere");
        Cli cli = Cli.run("jobs", "--coordinator", coordinator.url(), "--data-dir", missing.toString());

        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.err().lines())
                .singleElement()
                .satisfies(line -> assertThat(line)
                        .startsWith("error: no API token to send to " + coordinator.url())
                        .contains("--token", "MESH_TOKEN", "--data-dir", "MESH_DATA_DIR")
                        .contains(missing.resolve("admin.token").toString())
                        .doesNotContain("Authorization", "Bearer")
                        .endsWith("(unauthorized)"));
    }

    @Test
    void theDataDirOptionFindsTheTokenOfAMeshElsewhere() {
        Cli cli = Cli.run(
                "jobs",
                "--coordinator",
                coordinator.url(),
                "--data-dir",
                dir.resolve("state").toString());

        assertThat(cli.err()).isEmpty();
        assertThat(cli.exitCode()).isZero();
        assertThat(cli.out()).isEqualTo("No jobs.\n");
    }

    @Test
    void aRejectedTokenIsNotMistakenForAMissingOne() {
        Cli cli = Cli.run("jobs", "--coordinator", coordinator.url(), "--token", "not-a-token");

        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.err()).contains("not valid").doesNotContain("no API token");
    }

    @Test
    void aCoordinatorThatIsDownNamesTheOptionAndTheVariableThatPointElsewhere() throws IOException {
        int port = closedPort();
        for (String[] args : new String[][] {
            {"jobs", "--coordinator", "127.0.0.1:" + port, "--token", "t"},
            {"token", "list", "--coordinator", "127.0.0.1:" + port, "--token", "t"}
        }) {
            Cli cli = Cli.run(args);

            assertThat(cli.exitCode()).as(String.join(" ", args)).isEqualTo(1);
            assertThat(cli.err())
                    .as(String.join(" ", args))
                    .contains("cannot reach the coordinator at http://127.0.0.1:" + port)
                    .contains("./mesh up")
                    .contains("--coordinator")
                    .contains("MESH_COORDINATOR");
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
