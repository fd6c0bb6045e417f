package org.planetarymesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A coordinator that cannot start says why and what to change, instead of "(internal)". */
class StartupErrorsTest {

    @TempDir
    Path dir;

    @Test
    void aPortInUseNamesTheOptionThatPicksAnother() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Cli cli = Cli.run(
                    "coordinator", "--port", Integer.toString(taken.getLocalPort()), "--data-dir", dir.toString());

            assertThat(cli.exitCode()).isEqualTo(1);
            assertThat(cli.err())
                    .contains("Port already in use")
                    .contains("choose another port with --port")
                    .endsWith("(port_in_use)\n")
                    .doesNotContain("(internal)");
        }
    }

    @Test
    void anUnreachableDatabaseNamesTheOptionToCheck() throws IOException {
        int closed;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = probe.getLocalPort();
        }
        Cli cli = Cli.run(
                "coordinator",
                "--port",
                "0",
                "--data-dir",
                dir.toString(),
                "--database-url",
                "postgresql://mesh:secret@127.0.0.1:" + closed + "/mesh");

        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.err())
                .contains("could not open database")
                .contains("check that the database server is running and that --database-url names its host, port")
                .endsWith("(database_unavailable)\n")
                .doesNotContain("secret");
    }
}
