package org.planetarymesh.coordinator.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.coordinator.Coordinator;
import org.planetarymesh.core.datadir.DataDirLock;
import org.planetarymesh.core.node.NodeStatus;
import org.planetarymesh.core.protocol.Message;
import org.planetarymesh.testkit.agent.RawAgent;
import org.planetarymesh.testkit.agent.RawAgent.Closed;
import org.planetarymesh.testkit.agent.RawAgent.Identity;

/**
 * One connection per node id, and one coordinator per data dir. Two agents sharing one identity used to replace each
 * other on every reconnect, forever; now the established connection stays and the newcomer is refused with a reason,
 * unless the established one has gone silent past the suspect limit (a half-open socket after a network cut).
 */
class OneConnectionPerNodeTest {

    @TempDir
    Path dir;

    /** Heartbeats every 100 ms on a virtual thread until the returned thread is interrupted. */
    private static Thread heartbeating(RawAgent agent) {
        return Thread.ofVirtual().start(() -> {
            // Bounded by the test: interrupted before it ends.
            while (!Thread.currentThread().isInterrupted()
                    && agent.trySend(new Message.Heartbeat(0, List.of(), 0, null))) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    private static String connectionOf(Coordinator c, String nodeId) {
        return c.scheduler().node(nodeId).map(n -> n.address()).orElse(null);
    }

    @Test
    void theEstablishedConnectionStaysAndANewcomerWithItsIdIsRefused() throws Exception {
        Identity me = Identity.generate();
        try (Coordinator c = Fixture.start(dir, UnaryOperator.identity())) {
            String token = Fixture.createToken(c, "agent")[1];
            try (RawAgent first = RawAgent.connect(c.url(), token)) {
                first.join(RawAgent.hello(me.did(), me.publicKeyBase64()), me);
                await().atMost(Duration.ofSeconds(10)).until(() -> connectionOf(c, me.did()) != null);
                String address = connectionOf(c, me.did());
                Thread beats = heartbeating(first);
                try {
                    for (int i = 0; i < 5; i++) {
                        try (RawAgent second = RawAgent.connect(c.url(), token)) {
                            second.send(RawAgent.hello(me.did(), me.publicKeyBase64()));
                            Closed closed = second.awaitClosed();
                            assertThat(closed.reason())
                                    .contains("refused")
                                    .contains("already connected")
                                    .contains("share one identity");
                        }
                    }
                    assertThat(first.closed)
                            .as("the established connection was knocked off")
                            .isNotDone();
                    assertThat(first.liveness()).isEqualTo("open");
                    assertThat(connectionOf(c, me.did())).isEqualTo(address);
                } finally {
                    beats.interrupt();
                }

                // Silent past the suspect limit (600 ms here): presumed half-open, so a reconnect takes over.
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> c.scheduler()
                                .node(me.did())
                                .map(n -> n.status() != NodeStatus.HEALTHY)
                                .orElse(false));
                try (RawAgent again = RawAgent.connect(c.url(), token)) {
                    again.join(RawAgent.hello(me.did(), me.publicKeyBase64()), me);
                    Closed replaced = first.awaitClosed();
                    assertThat(replaced.reason()).contains("replaced by a new connection");
                    await().atMost(Duration.ofSeconds(10)).until(() -> !address.equals(connectionOf(c, me.did())));
                }
            }
        }
    }

    @Test
    void aSecondCoordinatorOnOneDataDirIsRefusedUntilTheFirstStops() {
        try (Coordinator first = Fixture.start(dir, UnaryOperator.identity())) {
            assertThatThrownBy(() -> Fixture.start(dir, UnaryOperator.identity()))
                    .isInstanceOf(DataDirLock.InUseException.class)
                    .hasMessageContaining("in use by another coordinator")
                    .hasMessageContaining("pid " + ProcessHandle.current().pid());
            assertThat(first.port()).isPositive();
        }
        Fixture.start(dir, UnaryOperator.identity()).close();
    }
}
