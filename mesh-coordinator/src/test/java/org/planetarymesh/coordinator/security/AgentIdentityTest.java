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
 * The gateway admits an agent only with proof of its key: node id = did:key of the public key, and a first heartbeat
 * whose signature verifies over the welcome challenge. All keys are real Ed25519 keys generated here; the agent token
 * is a real {@code agent}-role token, so refusals are for the proof, never for the token.
 */
class AgentIdentityTest {

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

    private static boolean known(String nodeId) {
        return coordinator.scheduler().nodes().stream().anyMatch(n -> n.id().equals(nodeId));
    }

    @Test
    void genuineAgentIsAdmittedOnlyOnceItsSignatureArrives() throws Exception {
        Identity me = Identity.generate();
        try (RawAgent agent = RawAgent.connect(coordinator.url(), agentToken)) {
            agent.send(RawAgent.hello(me.did(), me.publicKeyBase64()));
            Message.Welcome welcome = agent.awaitWelcome();
            assertThat(welcome.challenge()).isNotBlank();
            // Welcomed but not yet proven: the scheduler has not heard of the node, so it cannot be given work.
            assertThat(known(me.did())).isFalse();
            agent.send(new Message.Heartbeat(0, List.of(), 0, me.sign(welcome.challenge())));
            await().atMost(Duration.ofSeconds(10)).until(() -> known(me.did()));
            assertThat(agent.closed).isNotDone();
        }
    }

    @Test
    void forgedSignatureIsRefused() throws Exception {
        Identity me = Identity.generate();
        Identity forger = Identity.generate();
        try (RawAgent agent = RawAgent.connect(coordinator.url(), agentToken)) {
            agent.join(me.did(), me, forger);
            Closed closed = agent.awaitClosed();
            assertThat(closed.reason()).contains("refused").contains("signing the challenge");
            assertThat(known(me.did())).isFalse();
        }
    }

    @Test
    void missingSignatureIsRefused() throws Exception {
        Identity me = Identity.generate();
        try (RawAgent agent = RawAgent.connect(coordinator.url(), agentToken)) {
            agent.join(me.did(), me, null);
            assertThat(agent.awaitClosed().reason()).contains("signing the challenge");
            assertThat(known(me.did())).isFalse();
        }
    }

    @Test
    void anotherFrameInsteadOfTheProofIsRefused() throws Exception {
        Identity me = Identity.generate();
        try (RawAgent agent = RawAgent.connect(coordinator.url(), agentToken)) {
            agent.send(RawAgent.hello(me.did(), me.publicKeyBase64()));
            agent.awaitWelcome();
            agent.send(new Message.JobAccepted("0190-none", 1));
            assertThat(agent.awaitClosed().reason()).contains("refused");
            assertThat(known(me.did())).isFalse();
        }
    }

    @Test
    void impersonatingAConnectedNodeIsRefusedAndTheRealNodeStays() throws Exception {
        Identity victim = Identity.generate();
        Identity attacker = Identity.generate();
        try (RawAgent real = RawAgent.connect(coordinator.url(), agentToken)) {
            real.join(victim.did(), victim, victim);
            await().atMost(Duration.ofSeconds(10)).until(() -> known(victim.did()));
            // The victim keeps heartbeating (bounded by the test: interrupted at its end), so it stays established.
            Thread heartbeats = Thread.ofVirtual().start(() -> {
                while (!Thread.currentThread().isInterrupted()
                        && real.trySend(new Message.Heartbeat(0, List.of(), 0, null))) {
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            try {

                // Claims the victim's id with its own key: the id is not the did:key of that key.
                try (RawAgent fake = RawAgent.connect(coordinator.url(), agentToken)) {
                    fake.send(RawAgent.hello(victim.did(), attacker.publicKeyBase64()));
                    assertThat(fake.awaitClosed().reason()).contains("not the did:key");
                }
                // Claims the victim's id and public key: while the victim is connected and heard from, it gets no
                // challenge at all (one connection per node id); a forged signature is refused in
                // forgedSignatureIsRefused.
                try (RawAgent fake = RawAgent.connect(coordinator.url(), agentToken)) {
                    fake.send(RawAgent.hello(victim.did(), victim.publicKeyBase64()));
                    assertThat(fake.awaitClosed().reason()).contains("refused").contains("already connected");
                }
                // Claims the victim's id with no key at all.
                try (RawAgent fake = RawAgent.connect(coordinator.url(), agentToken)) {
                    fake.send(RawAgent.hello(victim.did(), null));
                    assertThat(fake.awaitClosed().reason()).contains("needs hello.public_key");
                }
                assertThat(real.closed).isNotDone();
                assertThat(known(victim.did())).isTrue();
            } finally {
                heartbeats.interrupt();
            }
        }
    }

    @Test
    void genuineReconnectWithTheSameKeyIsAccepted() throws Exception {
        Identity me = Identity.generate();
        try (RawAgent first = RawAgent.connect(coordinator.url(), agentToken)) {
            first.join(me.did(), me, me);
            await().atMost(Duration.ofSeconds(10)).until(() -> known(me.did()));
        }
        try (RawAgent second = RawAgent.connect(coordinator.url(), agentToken)) {
            second.join(me.did(), me, me);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> coordinator.scheduler().nodes().stream()
                            .anyMatch(n ->
                                    n.id().equals(me.did()) && n.status().name().equals("HEALTHY")));
            assertThat(second.closed).isNotDone();
        }
    }

    @Test
    void keylessAgentIsRefusedWhenTheCoordinatorRequiresKeys(@TempDir Path other) throws Exception {
        try (Coordinator strict = Fixture.start(other, c -> c.withRequireAgentKey(true));
                RawAgent agent = RawAgent.connect(strict.url(), strict.adminToken())) {
            agent.send(RawAgent.hello("plain-node", null));
            assertThat(agent.awaitClosed().reason()).contains("requires agents to prove");
            assertThat(strict.scheduler().nodes()).isEmpty();
        }
    }
}
