package org.planetarymesh.coordinator.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.coordinator.Coordinator;
import org.planetarymesh.core.protocol.Message;
import org.planetarymesh.testkit.agent.RawAgent;
import org.planetarymesh.testkit.agent.RawAgent.Closed;
import org.planetarymesh.testkit.agent.RawAgent.Identity;

/**
 * A {@code hello} opens a connection, alone in its frame, ahead of the key proof. Wrapped in a batch envelope (even as
 * its only message) it is refused: the socket is closed with 1002 (protocol error) saying why, before any welcome and
 * after one alike.
 */
class HelloTravelsAloneTest {

    @TempDir
    static Path dir;

    static Coordinator coordinator;
    static String agentToken;

    @BeforeAll
    static void start() throws Exception {
        coordinator = Fixture.start(dir, c -> c);
        agentToken = Fixture.createToken(coordinator, "agent")[1];
    }

    @AfterAll
    static void stop() {
        coordinator.close();
    }

    private static String batchOf(Message... messages) {
        StringBuilder frame = new StringBuilder("{\"type\":\"batch\",\"v\":1,\"messages\":[");
        for (int i = 0; i < messages.length; i++) {
            frame.append(i == 0 ? "" : ",").append(RawAgent.CODEC.encode(messages[i]));
        }
        return frame.append("]}").toString();
    }

    private static boolean known(String nodeId) {
        return coordinator.scheduler().nodes().stream().anyMatch(n -> n.id().equals(nodeId));
    }

    private static void assertProtocolError(RawAgent agent) throws Exception {
        Closed closed = agent.awaitClosed();
        assertThat(closed.status()).as(closed.toString()).isEqualTo(1002);
        assertThat(closed.reason()).contains("protocol error").contains("a hello travels alone");
    }

    @Test
    void aHelloAloneInABatchIsRefusedBeforeAnyWelcome() throws Exception {
        Identity me = Identity.generate();
        try (RawAgent agent = RawAgent.connect(coordinator.url(), agentToken)) {
            agent.sendText(batchOf(RawAgent.hello(me.did(), me.publicKeyBase64())));
            assertProtocolError(agent);
            assertThat(agent.next(Duration.ofMillis(200))).as("no welcome").isNull();
        }
        assertThat(known(me.did())).isFalse();
    }

    @Test
    void aHelloInABatchAfterJoiningClosesTheConnection() throws Exception {
        Identity me = Identity.generate();
        try (RawAgent agent = RawAgent.connect(coordinator.url(), agentToken)) {
            agent.join(RawAgent.hello(me.did(), me.publicKeyBase64()), me);
            await().atMost(Duration.ofSeconds(10)).until(() -> known(me.did()));
            Identity other = Identity.generate();
            agent.sendText(batchOf(
                    new Message.Heartbeat(0, List.of(), 0, null),
                    RawAgent.hello(other.did(), other.publicKeyBase64())));
            assertProtocolError(agent);
            assertThat(known(other.did())).isFalse();
        }
    }

    @Test
    void aHelloInItsOwnFrameStillJoins() throws Exception {
        Identity me = Identity.generate();
        try (RawAgent agent = RawAgent.connect(coordinator.url(), agentToken)) {
            agent.join(RawAgent.hello(me.did(), me.publicKeyBase64()), me);
            await().atMost(Duration.ofSeconds(10)).until(() -> known(me.did()));
            assertThat(agent.closed).isNotDone();
        }
    }
}
