package org.planetarymesh.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.agent.Agent;
import org.planetarymesh.agent.config.AgentConfig;
import org.planetarymesh.core.protocol.Message;
import org.planetarymesh.testkit.net.TcpProxy;

/**
 * An agent given two coordinators: it joins the first, and when that one falls silent (its answers held back, as by
 * a paused process that keeps its sockets open) it leaves it after the silence limit and joins the second.
 */
class SeveralCoordinatorsTest {

    @TempDir
    Path dataDir;

    private FakeCoordinator first;
    private FakeCoordinator second;
    private TcpProxy toFirst;
    private Agent agent;

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
        toFirst.close();
        first.close();
        second.close();
    }

    @Test
    void aSilentCoordinatorIsLeftForTheNextOneInTheList() {
        first = new FakeCoordinator(0);
        second = new FakeCoordinator(0);
        toFirst = TcpProxy.start(first.port());
        agent = Agent.start(AgentConfig.builder()
                .coordinator("http://127.0.0.1:" + toFirst.port() + "," + second.url())
                .token("join-secret")
                .name("two-coordinators")
                .dataDir(dataDir)
                .httpPort(-1)
                .reconnectMax(Duration.ofMillis(400))
                .shutdownGrace(Duration.ZERO)
                .build());
        first.await(Message.Hello.class, h -> true);
        first.await(Message.Heartbeat.class, h -> h.signature() != null);
        assertThat(second.find(Message.Hello.class, h -> true)).isEmpty();

        long silentFrom = System.nanoTime();
        toFirst.throttle(Duration.ofHours(1)); // nothing the first coordinator sends reaches the agent any more
        second.await(Message.Hello.class, h -> true, Duration.ofSeconds(20));
        Duration after = Duration.ofNanos(System.nanoTime() - silentFrom);
        assertThat(after)
                .as("left after the silence limit, not before")
                .isGreaterThanOrEqualTo(CoordinatorLink.silenceLimit(Duration.ofMillis(FakeCoordinator.HEARTBEAT_MS))
                        .minusMillis(1_100))
                .isLessThan(Duration.ofSeconds(10));
    }
}
