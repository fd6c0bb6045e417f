package org.planetarymesh.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.agent.Agent;
import org.planetarymesh.agent.config.AgentConfig;
import org.planetarymesh.agent.link.CoordinatorLink;
import org.planetarymesh.coordinator.Coordinator;
import org.planetarymesh.coordinator.CoordinatorConfig;
import org.planetarymesh.coordinator.api.ApiServer;
import org.slf4j.LoggerFactory;

/** What an agent (and its coordinator) say when the agent cannot join: real agents, a real coordinator, real logs. */
class AgentMessagesTest {

    @TempDir
    Path dir;

    private final ListAppender<ILoggingEvent> agentLog = new ListAppender<>();
    private final ListAppender<ILoggingEvent> coordinatorLog = new ListAppender<>();

    @BeforeEach
    void captureLogs() {
        attach(CoordinatorLink.class, agentLog, Level.DEBUG);
        attach(ApiServer.class, coordinatorLog, Level.INFO);
    }

    @AfterEach
    void detach() {
        logger(CoordinatorLink.class).detachAppender(agentLog);
        logger(ApiServer.class).detachAppender(coordinatorLog);
    }

    @Test
    void aBadTokenIsExplainedAtWarnWithBackoffAndTheCoordinatorLogsTheRefusal() {
        try (Coordinator coordinator = Coordinator.start(
                        CoordinatorConfig.defaults(dir.resolve("state")).withPort(0));
                Agent agent = Agent.start(agent(coordinator.url(), "not-a-token"))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> attempts() >= 6);

            List<String> warnings = warnings();
            assertThat(warnings.getFirst())
                    .startsWith("the coordinator at " + coordinator.url()
                            + " refused this agent (401): its token was rejected.")
                    .contains("--token", "MESH_TOKEN", "mesh token create --role agent")
                    .doesNotContain("WebSocketHandshakeException");
            assertThat(warnings)
                    .as("a repeated failure is logged again at its 2nd, 4th, 8th... occurrence, not every time")
                    .hasSizeLessThanOrEqualTo(1 + (int) (Math.log(attempts()) / Math.log(2)));
            assertThat(warnings.getLast()).containsPattern("failed \\d+ times in a row; still retrying");
            assertThat(agent.connected()).isFalse();
            assertThat(coordinatorLog.list)
                    .anySatisfy(e -> assertThat(e.getLevel()).isEqualTo(Level.WARN))
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .anyMatch(m -> m.startsWith("refused an agent connection from ") && m.contains("not valid"));
        }
    }

    @Test
    void aWrongAddressSaysConnectionRefusedAndWhatToCheck() throws IOException {
        String url = "http://127.0.0.1:" + closedPort();
        try (Agent agent = Agent.start(agent(url, "t"))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> !warnings().isEmpty());

            assertThat(warnings().getFirst())
                    .startsWith("cannot connect to the coordinator at " + url + " (connection refused)")
                    .contains("check that it is running", "--coordinator", "MESH_COORDINATOR")
                    .doesNotContain("ConnectException");
        }
    }

    @Test
    void withoutACoordinatorTheAgentSaysItIsStandaloneAndHowToJoin() {
        try (Agent agent = Agent.start(
                AgentConfig.builder().dataDir(dir.resolve("alone")).httpPort(0).build())) {
            assertThat(AgentCommand.startedLine(agent))
                    .contains("started standalone (push-only)")
                    .contains("POST http://127.0.0.1:" + agent.httpPort() + "/execute")
                    .contains("./mesh agent --coordinator URL --token TOKEN", "MESH_COORDINATOR");
        }
    }

    private AgentConfig agent(String url, String token) {
        return AgentConfig.builder()
                .coordinator(url)
                .token(token)
                .name("worker")
                .dataDir(dir.resolve("agent"))
                .httpPort(-1)
                .reconnectMax(Duration.ofMillis(200))
                .build();
    }

    /** Failed dials so far: each is logged once, at WARN or (when backing off) at DEBUG. */
    private long attempts() {
        return List.copyOf(agentLog.list).stream()
                .filter(e -> e.getLevel() == Level.WARN || e.getLevel() == Level.DEBUG)
                .filter(e -> e.getFormattedMessage().contains("retrying")
                        || e.getFormattedMessage().contains("in a row"))
                .count();
    }

    private List<String> warnings() {
        return List.copyOf(agentLog.list).stream()
                .filter(e -> e.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    private static void attach(Class<?> type, ListAppender<ILoggingEvent> appender, Level level) {
        appender.start();
        Logger logger = logger(type);
        logger.setLevel(level);
        logger.addAppender(appender);
    }

    private static Logger logger(Class<?> type) {
        return (Logger) LoggerFactory.getLogger(type);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
