package org.planetarymesh.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.agent.Agent;
import org.planetarymesh.agent.config.AgentConfig;
import org.planetarymesh.coordinator.Coordinator;
import org.planetarymesh.coordinator.CoordinatorConfig;

/**
 * What {@code mesh submit} tells a user whose job cannot run, or whose payload is not JSON, against a real
 * coordinator (and a real agent where one is needed).
 */
class SubmitFeedbackTest {

    @TempDir
    Path dir;

    @Test
    void withNoNodeConnectedSubmitWarnsAndTheWaitTimeoutSaysWhyTheJobHasNotStarted() {
        try (Coordinator coordinator = start()) {
            Cli cli = submit(coordinator, "echo", "--payload", "1", "--wait", "--wait-timeout", "1s");

            assertThat(cli.exitCode()).isEqualTo(SubmitCommand.WAIT_TIMED_OUT);
            assertThat(cli.err())
                    .contains("warning: no node is connected, so the job waits until one joins")
                    .contains("mesh agent --coordinator")
                    .containsPattern("did not finish within 1s; it is still QUEUED: no node has been offered it yet")
                    .contains("./mesh nodes")
                    .containsPattern("./mesh cancel [0-9a-f-]{36}")
                    .doesNotContain("PT1S");
        }
    }

    @Test
    void aJobNoConnectedNodeRunsIsAcceptedWithAWarningAndTheTimeoutNamesTheRoutingsReason() {
        try (Coordinator coordinator = start();
                Agent agent = Agent.start(AgentConfig.builder()
                        .coordinator(coordinator.url())
                        .token(coordinator.adminToken())
                        .name("only-echo")
                        .dataDir(dir.resolve("agent"))
                        .httpPort(-1)
                        .build())) {
            await().atMost(Duration.ofSeconds(30)).until(agent::connected);

            Cli cli = submit(coordinator, "transcode", "--wait", "--wait-timeout", "1500ms");

            assertThat(cli.exitCode()).isEqualTo(SubmitCommand.WAIT_TIMED_OUT);
            assertThat(cli.err())
                    .contains("warning: no connected node can run this job")
                    .contains(
                            "only-echo: does not run type transcode (it runs echo, http, inference, shell, sleep, wasm)")
                    .contains("did not finish within 1.5s; it is still QUEUED: no node could take it when last tried")
                    .contains("does not run type transcode");
        }
    }

    @Test
    void aPayloadThatIsNotJsonNamesThePositionAndTheFix() {
        Cli object = Cli.run("submit", "echo", "--payload", "{hello:1}");
        assertThat(object.exitCode()).isEqualTo(1);
        assertThat(object.err())
                .startsWith("error: --payload is not valid JSON at character 2: ")
                .contains("double quotes, e.g. --payload '{\"hello\":\"mesh\"}'")
                .doesNotContain("code 104");

        Cli word = Cli.run("submit", "echo", "--payload", "hello");
        assertThat(word.err())
                .contains("To send a string, put it in double quotes inside single ones: --payload '\"hello\"'");
    }

    @Test
    void aPayloadNestedTooDeepGetsAPlainMessage() {
        String deep = "[".repeat(70) + "]".repeat(70);

        Cli cli = Cli.run("submit", "echo", "--payload", deep);

        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.err())
                .contains("--payload nests arrays and objects deeper than 64 levels")
                .contains("flatten it")
                .doesNotContain("StreamReadConstraints");
    }

    private Coordinator start() {
        return Coordinator.start(
                CoordinatorConfig.defaults(dir.resolve("state")).withPort(0));
    }

    private static Cli submit(Coordinator coordinator, String... args) {
        String[] all = new String[args.length + 5];
        all[0] = "submit";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--coordinator";
        all[args.length + 2] = coordinator.url();
        all[args.length + 3] = "--token";
        all[args.length + 4] = coordinator.adminToken();
        return Cli.run(all);
    }
}
