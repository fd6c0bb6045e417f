package org.planetarymesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class MeshCommandTest {

    @Test
    void aUsageMistakeIsOneLineAndAPointerToTheHelpNotTheWholeUsage() {
        Cli missing = Cli.run("submit", "--payload", "1");

        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err())
                .isEqualTo("error: Missing required parameter: 'TYPE'\nRun 'mesh submit --help' for its options.\n");

        Cli duration = Cli.run("submit", "echo", "--timeout", "5");
        assertThat(duration.err())
                .startsWith("error: Invalid value for option '--timeout': '5' is not a duration")
                .doesNotContain("java.lang")
                .doesNotContain("Usage:");
    }

    @Test
    void aRunThatNamesItsSubcommandRegistersOnlyThatOne() {
        assertThat(MeshCommand.newCommandLine(new String[] {"jobs", "--limit", "1"})
                        .getSubcommands()
                        .keySet())
                .containsExactly("jobs");
        assertThat(MeshCommand.newCommandLine(new String[] {"help", "jobs"}).getSubcommands())
                .containsKeys("jobs", "up", "agent", "token");
        assertThat(MeshCommand.newCommandLine(new String[] {"--help"}).getSubcommands())
                .hasSize(25);
    }

    @Test
    void helpListsEveryCommand() {
        Cli cli = Cli.run("--help");

        assertThat(cli.exitCode()).isZero();
        assertThat(cli.out()).contains("Usage: mesh");
        for (String command :
                new String[] {"submit", "jobs", "job", "logs", "cancel", "nodes", "completion", "help", "receipt"}) {
            assertThat(cli.out()).containsPattern("(?m)^\\s+" + command + "\\s");
        }
    }

    @Test
    void versionNamesTheProjectVersion() {
        Cli cli = Cli.run("--version");
        assertThat(cli.exitCode()).isZero();
        assertThat(cli.out()).startsWith("mesh 0.1.0-SNAPSHOT");
    }

    @Test
    void anUnknownOptionIsAUsageErrorWithExitCode2() {
        Cli cli = Cli.run("jobs", "--colour");

        assertThat(cli.exitCode()).isEqualTo(2);
        assertThat(cli.err()).startsWith("error: Unknown option: '--colour'").contains("Run 'mesh jobs --help'");
    }

    @Test
    void aBadDurationIsAUsageErrorThatSaysWhatWorks() {
        Cli cli = Cli.run("submit", "echo", "--timeout", "30");

        assertThat(cli.exitCode()).isEqualTo(2);
        assertThat(cli.err()).contains("'30' is not a duration").contains("30s");
    }

    @Test
    void completionPrintsABashScriptCoveringTheSubcommands() {
        Cli cli = Cli.run("completion");

        assertThat(cli.exitCode()).isZero();
        assertThat(cli.out())
                .contains("complete -F")
                .contains("_picocli_mesh")
                .contains("submit")
                .contains("logs");
    }

    @Test
    void anUnreachableCoordinatorIsOneErrorLineWithoutAStackTrace() throws IOException {
        Cli cli = Cli.run("jobs", "--coordinator", "127.0.0.1:" + closedPort(), "--token", "t");

        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.err().lines())
                .singleElement()
                .satisfies(line -> assertThat(line)
                        .startsWith("error: cannot reach the coordinator at http://127.0.0.1:")
                        .endsWith("(unavailable)"));
    }

    @Test
    void debugAddsTheStackTrace() throws IOException {
        Cli cli = Cli.run("nodes", "--debug", "--coordinator", "127.0.0.1:" + closedPort(), "--token", "t");

        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.err())
                .contains("MeshUnavailableException")
                .contains("\tat ")
                .contains("error: cannot reach");
    }

    @Test
    void aPayloadThatIsNotJsonIsRefusedBeforeAnythingIsSent() throws IOException {
        Cli cli = Cli.run("submit", "echo", "--payload", "hello", "--coordinator", "127.0.0.1:" + closedPort());

        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.err()).startsWith("error: --payload is not valid JSON").endsWith("(invalid_argument)\n");
    }

    @Test
    void aBadCoordinatorAddressIsOneLine() {
        Cli cli = Cli.run("nodes", "--coordinator", "ftp://x");

        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.err())
                .isEqualTo(
                        "error: invalid node address 'ftp://x': only http and https are supported (invalid_argument)\n");
    }

    private static int closedPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
