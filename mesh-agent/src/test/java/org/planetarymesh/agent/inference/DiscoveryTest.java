package org.planetarymesh.agent.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.planetarymesh.agent.inference.InferenceAgents.assign;
import static org.planetarymesh.agent.inference.InferenceAgents.chat;
import static org.planetarymesh.agent.inference.InferenceAgents.done;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.agent.Agent;
import org.planetarymesh.agent.link.FakeCoordinator;
import org.planetarymesh.core.node.ModelState;
import org.planetarymesh.core.protocol.Message;
import org.planetarymesh.testkit.inference.LlamaServer;
import org.planetarymesh.testkit.inference.OllamaStandIn;

/**
 * Backends found on local ports at start and on every refresh, and a model moving to the next backend serving it
 * when its first cannot be reached. The ports probed are the tests' own (the same setting that replaces the usual
 * 8000, 8080, 1234 and 11434), so nothing else on the machine is touched.
 */
class DiscoveryTest {
    @TempDir
    Path dataDir;

    private FakeCoordinator coordinator;
    private Agent agent;

    @BeforeEach
    void start() {
        coordinator = new FakeCoordinator(0);
    }

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
        coordinator.close();
    }

    @Test
    void findsLlamaCppAndOllamaOnLocalPortsAndFollowsThemComingAndGoing() {
        int idlePort = LlamaServer.freePort();
        try (LlamaServer llama = LlamaServer.start();
                OllamaStandIn ollama = OllamaStandIn.start(List.of("llama3.2:latest"), List.of())) {
            agent = InferenceAgents.start(
                    coordinator,
                    dataDir,
                    Map.of(
                            "discover", "true",
                            "discover_ports", llama.port() + "," + ollama.port() + "," + idlePort,
                            "refresh_interval_ms", "200"));

            Message.Hello hello = coordinator.await(Message.Hello.class, h -> true);
            assertThat(hello.modelStates())
                    .contains(
                            new ModelState(LlamaServer.MODEL, true, "llama.cpp@127.0.0.1:" + llama.port()),
                            new ModelState("llama3.2:latest", true, "ollama@127.0.0.1:" + ollama.port()));

            ollama.close();
            coordinator.await(
                    Message.Heartbeat.class,
                    h -> h.modelStates().stream().map(ModelState::id).toList().equals(List.of(LlamaServer.MODEL)),
                    Duration.ofSeconds(10));

            try (OllamaStandIn late = OllamaStandIn.start(idlePort, List.of(), List.of("phi3:mini"))) {
                Message.Heartbeat found = InferenceAgents.heartbeatWith(coordinator, "phi3:mini");
                assertThat(found.modelStates())
                        .contains(new ModelState("phi3:mini", false, "ollama@127.0.0.1:" + idlePort));
            }
        }
    }

    @Test
    void aModelGoesToTheNextBackendServingItWhenTheFirstIsGone() {
        try (LlamaServer first = LlamaServer.start();
                LlamaServer second = LlamaServer.start()) {
            agent = InferenceAgents.start(
                    coordinator, dataDir, Map.of("backends", first.baseUrl() + "," + second.baseUrl()));
            first.close();

            coordinator.send(assign("j-failover", chat(LlamaServer.MODEL, 4)));

            Message.JobDone done = done(coordinator, "j-failover");
            assertThat(done.result().path("backend").asText()).isEqualTo("llama.cpp@127.0.0.1:" + second.port());
        }
    }
}
