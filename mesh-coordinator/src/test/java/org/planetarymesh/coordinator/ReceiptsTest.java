package org.planetarymesh.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.file.Path;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.planetarymesh.core.identity.Signer;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.core.protocol.Message;
import org.planetarymesh.core.receipt.Canonical;
import org.planetarymesh.core.receipt.ExecutionReceipt;
import org.planetarymesh.core.receipt.OutputDigest;
import org.planetarymesh.core.receipt.ReceiptLog;
import org.planetarymesh.core.receipt.ReceiptLogVerifier;
import org.planetarymesh.core.receipt.ReceiptSigner;
import org.planetarymesh.core.receipt.ReceiptVerifier;
import org.planetarymesh.core.receipt.SignedReceipt;
import org.planetarymesh.testkit.agent.RawAgent;

/**
 * Receipts against a real coordinator over a real socket, from an agent that proved its key: a valid receipt completes
 * the job, carries its CID and lands in the verifiable log; each way of getting it wrong fails the attempt with
 * {@code invalid_receipt}.
 */
class ReceiptsTest {

    @TempDir
    Path dir;

    private Coordinator coordinator;
    private KeyedAgent agent;

    @BeforeEach
    void start() throws Exception {
        coordinator = TestCoordinator.start(dir, config -> config.withReceipts(true));
        agent = new KeyedAgent(coordinator);
        TestCoordinator.awaitNodes(coordinator, 1);
    }

    @AfterEach
    void stop() throws Exception {
        agent.close();
        coordinator.close();
    }

    @Test
    void aValidReceiptCompletesTheJobAndIsLoggedVerifiably() throws Exception {
        String id = TestCoordinator.submit(coordinator, "{\"type\":\"echo\",\"payload\":{\"n\":1}}");
        Message.AssignJob assign = agent.awaitAssign(id);
        // The spec CID the agent is told is the CID of the spec exactly as the API shows it.
        JsonNode shown = TestCoordinator.job(coordinator, id).get("spec");
        assertThat(assign.specCid()).isEqualTo(Canonical.cid(shown));

        agent.send(new Message.JobChunk(id, assign.attempt(), 0, "aGk=", "stdout"));
        SignedReceipt signed = agent.sign(receipt(assign, agent.signer.did(), List.of("aGk="), assign.payload()));
        agent.send(done(assign, assign.payload(), signed.toJson()));

        JsonNode job = TestCoordinator.awaitStatus(coordinator, id, "COMPLETED");
        assertThat(job.path("receipt_cid").asText()).isEqualTo(signed.cid());
        TestCoordinator.Response receipt = TestCoordinator.get(coordinator, "/v1/jobs/" + id + "/receipt");
        assertThat(receipt.status()).isEqualTo(200);
        assertThat(ReceiptVerifier.verifyOnce(receipt.body().get("receipt")).valid())
                .isTrue();
        assertThat(receipt.body().path("log").path("seq").asLong()).isEqualTo(1);

        String second = TestCoordinator.submit(coordinator, "{\"type\":\"echo\",\"payload\":\"two\"}");
        Message.AssignJob next = agent.awaitAssign(second);
        agent.send(done(
                next,
                next.payload(),
                agent.sign(receipt(next, agent.signer.did(), List.of(), next.payload()))
                        .toJson()));
        TestCoordinator.awaitStatus(coordinator, second, "COMPLETED");

        JsonNode export =
                TestCoordinator.get(coordinator, "/v1/receipts?from=1").body();
        ReceiptLog.Export log = Json.mapper().treeToValue(export, ReceiptLog.Export.class);
        assertThat(log.entries()).extracting(ReceiptLog.Entry::jobId).containsExactly(id, second);
        assertThat(ReceiptLogVerifier.verify(log).problems()).isEmpty();
    }

    /** Each way a receipt can be wrong. */
    enum Forgery {
        SIGNED_BY_ANOTHER_KEY,
        OTHER_OUTPUT,
        OTHER_SPEC,
        OTHER_ATTEMPT,
        NONE_SENT
    }

    @ParameterizedTest
    @EnumSource(Forgery.class)
    void aWrongReceiptFailsTheAttemptWithInvalidReceipt(Forgery forgery) throws Exception {
        String id = TestCoordinator.submit(
                coordinator, "{\"type\":\"echo\",\"payload\":{\"n\":2},\"retry\":{\"max_attempts\":1}}");
        Message.AssignJob assign = agent.awaitAssign(id);
        ExecutionReceipt honest = receipt(assign, agent.signer.did(), List.of(), assign.payload());
        JsonNode sent = switch (forgery) {
            case SIGNED_BY_ANOTHER_KEY -> forgedSignature(agent.sign(honest));
            case OTHER_OUTPUT ->
                agent.sign(receipt(assign, agent.signer.did(), List.of(), TextNode.valueOf("other")))
                        .toJson();
            case OTHER_SPEC ->
                agent.sign(withSpec(honest, Canonical.cid(TextNode.valueOf("spec"))))
                        .toJson();
            case OTHER_ATTEMPT ->
                agent.sign(withAttempt(honest, assign.attempt() + 1)).toJson();
            case NONE_SENT -> null;
        };
        agent.send(done(assign, assign.payload(), sent));

        JsonNode job = TestCoordinator.awaitStatus(coordinator, id, "FAILED");
        assertThat(job.path("error").path("code").asText()).isEqualTo("invalid_receipt");
        assertThat(job.path("attempts").get(0).path("outcome").asText()).isEqualTo("invalid_receipt");
        assertThat(job.has("receipt_cid")).isFalse();
        assertThat(TestCoordinator.get(coordinator, "/v1/jobs/" + id + "/receipt")
                        .status())
                .isEqualTo(404);
        assertThat(TestCoordinator.get(coordinator, "/v1/receipts").body().get("entries"))
                .isEmpty();
    }

    private static JsonNode forgedSignature(SignedReceipt signed) throws Exception {
        RawAgent.Identity other = RawAgent.Identity.generate();
        byte[] root = java.util.HexFormat.of().parseHex(signed.batch().root());
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(other.keys().getPrivate());
        s.update(SignedReceipt.signedBytes(root));
        var json = (com.fasterxml.jackson.databind.node.ObjectNode) signed.toJson();
        ((com.fasterxml.jackson.databind.node.ObjectNode) json.get("batch"))
                .put("signature", Base64.getEncoder().encodeToString(s.sign()));
        return json;
    }

    private static ExecutionReceipt receipt(
            Message.AssignJob assign, String did, List<String> chunks, JsonNode result) {
        OutputDigest output = new OutputDigest();
        for (int i = 0; i < chunks.size(); i++) {
            output.chunk(i, "stdout", chunks.get(i));
        }
        Instant now = Instant.now();
        return new ExecutionReceipt(
                ExecutionReceipt.VERSION,
                assign.jobId(),
                assign.specCid(),
                assign.attempt(),
                did,
                Canonical.cid(assign.payload()),
                output.finish(result),
                "completed",
                now.toString(),
                now.toString(),
                new ExecutionReceipt.Usage(1, 0, 0));
    }

    private static ExecutionReceipt withSpec(ExecutionReceipt r, String spec) {
        return new ExecutionReceipt(
                r.v(),
                r.jobId(),
                spec,
                r.attempt(),
                r.executor(),
                r.inputCid(),
                r.outputCid(),
                r.status(),
                r.startedAt(),
                r.finishedAt(),
                r.usage());
    }

    private static ExecutionReceipt withAttempt(ExecutionReceipt r, int attempt) {
        return new ExecutionReceipt(
                r.v(),
                r.jobId(),
                r.specCid(),
                attempt,
                r.executor(),
                r.inputCid(),
                r.outputCid(),
                r.status(),
                r.startedAt(),
                r.finishedAt(),
                r.usage());
    }

    private static Message.JobDone done(Message.AssignJob assign, JsonNode result, JsonNode receipt) {
        return new Message.JobDone(assign.jobId(), assign.attempt(), result, null, 1, "echo", "exact", receipt);
    }

    /** An agent with a real key on a real socket: joins with its proof, heartbeats, and answers as the test says. */
    private static final class KeyedAgent implements AutoCloseable {
        final RawAgent.Identity identity;
        final Signer signer = new Signer() {
            @Override
            public String did() {
                return identity.did();
            }

            @Override
            public byte[] sign(byte[] data) {
                try {
                    Signature s = Signature.getInstance("Ed25519");
                    s.initSign(identity.keys().getPrivate());
                    s.update(data);
                    return s.sign();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        final RawAgent socket;
        final Thread heartbeats;

        KeyedAgent(Coordinator coordinator) throws Exception {
            identity = RawAgent.Identity.generate();
            socket = RawAgent.connect(coordinator.url(), coordinator.adminToken());
            socket.join(RawAgent.hello(identity.did(), identity.publicKeyBase64()), identity);
            heartbeats = Thread.ofVirtual().start(() -> {
                // Bounded by the test's life: interrupted in close().
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        Thread.sleep(150);
                    } catch (InterruptedException e) {
                        return;
                    }
                    socket.trySend(new Message.Heartbeat(0, List.of(), 0, null));
                }
            });
        }

        SignedReceipt sign(ExecutionReceipt receipt) {
            return ReceiptSigner.sign(List.of(receipt), signer).getFirst();
        }

        void send(Message message) {
            socket.send(message);
        }

        Message.AssignJob awaitAssign(String jobId) throws Exception {
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < until) {
                Message m = socket.next(Duration.ofMillis(500));
                if (m instanceof Message.AssignJob a && a.jobId().equals(jobId)) {
                    return a;
                }
            }
            throw new AssertionError("no assign_job for " + jobId);
        }

        @Override
        public void close() throws Exception {
            heartbeats.interrupt();
            socket.close();
        }
    }
}
