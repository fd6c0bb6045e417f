package org.planetarymesh.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.agent.Agent;
import org.planetarymesh.agent.config.AgentConfig;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.core.protocol.Message;

/**
 * An agent shutting down tells the coordinator first ({@code drain}), so the coordinator stops sending it work before
 * the jobs it still runs come back as {@code agent_stopping}.
 */
class StoppingAgentTest {

    @TempDir
    Path dataDir;

    private FakeCoordinator coordinator;

    @AfterEach
    void stop() {
        if (coordinator != null) {
            coordinator.close();
        }
    }

    @Test
    void aStoppingAgentSaysItDrainsBeforeItHandsItsJobsBack() throws Exception {
        coordinator = new FakeCoordinator(0);
        Agent agent = Agent.start(AgentConfig.builder()
                .coordinator(coordinator.url())
                .token("join-secret")
                .name("stopping-agent")
                .maxConcurrent(2)
                .dataDir(dataDir)
                .httpPort(-1)
                .shutdownGrace(Duration.ZERO)
                .build());
        coordinator.await(Message.Heartbeat.class, h -> true);
        coordinator.send(new Message.AssignJob(
                "long-1", 1, "sleep", Json.mapper().readTree("{\"ms\": 20000}"), null, null, "a-1"));
        coordinator.await(Message.JobAccepted.class, a -> a.jobId().equals("long-1"));

        agent.close();

        Message.JobError handedBack =
                coordinator.await(Message.JobError.class, e -> e.jobId().equals("long-1"));
        assertThat(handedBack.errorCode()).isEqualTo("agent_stopping");
        List<Message> received = coordinator.received();
        int drain = received.stream()
                .filter(Message.Drain.class::isInstance)
                .findFirst()
                .map(received::indexOf)
                .orElse(-1);
        assertThat(drain).as("drain sent").isNotNegative();
        assertThat(drain).as("drain before the job comes back").isLessThan(received.indexOf(handedBack));
    }
}
