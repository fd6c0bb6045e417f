package org.planetarymesh.coordinator.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.coordinator.Coordinator;
import org.planetarymesh.core.protocol.Message;
import org.planetarymesh.testkit.agent.RawAgent;
import org.planetarymesh.testkit.agent.RawAgent.Identity;

/**
 * Scope LOCAL is bound to identity: only an agent that proves the key of a node id the coordinator was configured with
 * gets LOCAL jobs. An agent with an ordinary agent token that calls itself local ({@code mesh.local=true} in its
 * hello's labels) gets none of them, and it is the one that takes NETWORK jobs.
 */
class LocalScopeTest {

    @TempDir
    Path dir;

    private static Message.Hello hello(Identity id, Map<String, String> labels) {
        return hello(id.did(), id.publicKeyBase64(), labels);
    }

    private static Message.Hello hello(String nodeId, String publicKey, Map<String, String> labels) {
        return new Message.Hello(
                nodeId,
                "raw",
                List.of("echo"),
                List.of("echo"),
                List.of(),
                4,
                null,
                labels,
                Map.of(),
                null,
                publicKey,
                List.of());
    }

    private static String submit(Coordinator c, String scope) throws Exception {
        Fixture.Response created =
                Fixture.call(c, "POST", "/v1/jobs", "{\"type\":\"echo\",\"scope\":\"" + scope + "\"}", c.adminToken());
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        return created.body().get("id").asText();
    }

    private static boolean known(Coordinator c, String nodeId) {
        return c.scheduler().nodes().stream().anyMatch(n -> n.id().equals(nodeId));
    }

    /** The next assignment this agent receives within {@code wait}, or null. */
    private static Message.AssignJob nextAssignment(RawAgent agent, Duration wait) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        for (long left = wait.toNanos(); left > 0; left = deadline - System.nanoTime()) {
            Message m = agent.next(Duration.ofNanos(left));
            if (m instanceof Message.AssignJob assign) {
                return assign;
            }
        }
        return null;
    }

    @Test
    void aLabelDoesNotMakeAnAgentLocalButAConfiguredProvenKeyDoes() throws Exception {
        Identity own = Identity.generate();
        Identity impostor = Identity.generate();
        // Silence limits long enough that these agents, which send no heartbeats, stay healthy for the test.
        try (Coordinator c = Fixture.start(
                dir,
                cfg -> cfg.withLocalNodes(Set.of(own.did()))
                        .withHealth(Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(120)))) {
            String agentToken = Fixture.createToken(c, "agent")[1];
            try (RawAgent claims = RawAgent.connect(c.url(), agentToken)) {
                claims.join(hello(impostor, Map.of("mesh.local", "true")), impostor);
                await().atMost(Duration.ofSeconds(10)).until(() -> known(c, impostor.did()));

                String local = submit(c, "LOCAL");
                assertThat(nextAssignment(claims, Duration.ofSeconds(1)))
                        .as("a LOCAL job offered to a node that only says it is local")
                        .isNull();
                assertThat(Fixture.call(c, "GET", "/v1/jobs/" + local, null, c.adminToken())
                                .body()
                                .get("status")
                                .asText())
                        .isEqualTo("QUEUED");

                // The agent the coordinator was told is its own gets it once it proves its key.
                try (RawAgent mine = RawAgent.connect(c.url(), agentToken)) {
                    mine.join(hello(own, Map.of()), own);
                    Message.AssignJob assigned = nextAssignment(mine, Duration.ofSeconds(10));
                    assertThat(assigned).isNotNull();
                    assertThat(assigned.jobId()).isEqualTo(local);

                    // NETWORK jobs go to the other node, never the coordinator's own.
                    String network = submit(c, "NETWORK");
                    Message.AssignJob elsewhere = nextAssignment(claims, Duration.ofSeconds(10));
                    assertThat(elsewhere).isNotNull();
                    assertThat(elsewhere.jobId()).isEqualTo(network);
                }
            }
        }
    }

    @Test
    void aConfiguredIdWithoutItsKeyIsNotLocal() throws Exception {
        Identity own = Identity.generate();
        Identity other = Identity.generate();
        try (Coordinator c = Fixture.start(dir, cfg -> cfg.withLocalNodes(Set.of(own.did())))) {
            String agentToken = Fixture.createToken(c, "agent")[1];
            try (RawAgent thief = RawAgent.connect(c.url(), agentToken)) {
                // Claims the coordinator's own id with another key: refused at the proof, never joins.
                thief.send(hello(own.did(), other.publicKeyBase64(), Map.of()));
                assertThat(thief.awaitClosed().reason()).contains("refused");
                assertThat(known(c, own.did())).isFalse();
            }
        }
    }
}
