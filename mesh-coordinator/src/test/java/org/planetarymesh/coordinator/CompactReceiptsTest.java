package org.planetarymesh.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
import org.planetarymesh.core.protocol.MessageCodec;
import org.planetarymesh.core.receipt.Canonical;
import org.planetarymesh.core.receipt.CompactReceipt;
import org.planetarymesh.core.receipt.ExecutionReceipt;
import org.planetarymesh.core.receipt.OutputDigest;
import org.planetarymesh.core.receipt.ReceiptBatch;
import org.planetarymesh.core.receipt.ReceiptLog;
import org.planetarymesh.core.receipt.ReceiptLogVerifier;
import org.planetarymesh.core.receipt.ReceiptVerifier;
import org.planetarymesh.testkit.agent.RawAgent;

/**
 * Compact receipts (ADR 0105) against a real coordinator over a real socket: a frame of results that name their
 * receipts' CIDs and end with one {@code receipt_batch} completes every job with a whole signed receipt that verifies
 * offline; each way of getting the frame or a receipt wrong fails the attempt with {@code invalid_receipt}.
 */
class CompactReceiptsTest {

    @TempDir
    Path dir;

    private Coordinator coordinator;
    private RawAgent.Identity identity;
    private RawAgent socket;
    private Thread heartbeats;

    @BeforeEach
    void start() throws Exception {
        coordinator = TestCoordinator.start(dir, config -> config.withReceipts(true));
        identity = RawAgent.Identity.generate();
        socket = RawAgent.connect(coordinator.url(), coordinator.adminToken());
        Message.Welcome welcome = socket.join(
                RawAgent.hello(identity.did(), "raw", List.of("echo"), 8, identity.publicKeyBase64()), identity);
        assertThat(welcome.compactReceipts()).isTrue();
        heartbeats = Thread.ofVirtual().start(() -> {
            // Bounded by the test's life: interrupted in stop().
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(150);
                } catch (InterruptedException e) {
                    return;
                }
                socket.trySend(new Message.Heartbeat(0, List.of(), 0, null));
            }
        });
        TestCoordinator.awaitNodes(coordinator, 1);
    }

    @AfterEach
    void stop() throws Exception {
        heartbeats.interrupt();
        socket.close();
        coordinator.close();
    }

    @Test
    void aFrameOfCompactReceiptsCompletesEachJobWithAReceiptThatVerifiesAlone() throws Exception {
        List<String> ids = List.of(
                TestCoordinator.submit(coordinator, "{\"type\":\"echo\",\"payload\":{\"n\":1}}"),
                TestCoordinator.submit(coordinator, "{\"type\":\"echo\",\"payload\":[1.5, \"two\"]}"),
                TestCoordinator.submit(coordinator, "{\"type\":\"echo\"}"));
        List<Message.AssignJob> assigns = new ArrayList<>();
        for (String id : ids) {
            assigns.add(awaitAssign(id));
        }
        socket.send(new Message.JobChunk(ids.getFirst(), 1, 0, "aGk=", "stdout"));
        List<ExecutionReceipt> receipts = new ArrayList<>();
        List<Message> frame = new ArrayList<>();
        for (Message.AssignJob assign : assigns) {
            ExecutionReceipt receipt =
                    receipt(assign, assign == assigns.getFirst() ? List.of("aGk=") : List.of(), assign.payload(), 1);
            receipts.add(receipt);
            frame.add(done(assign, assign.payload(), receipt));
        }
        frame.add(batch(receipts, identity.signer()));
        sendFrame(frame);

        for (int i = 0; i < ids.size(); i++) {
            JsonNode job = TestCoordinator.awaitStatus(coordinator, ids.get(i), "COMPLETED");
            assertThat(job.path("receipt_cid").asText())
                    .isEqualTo(receipts.get(i).cid());
            JsonNode body = TestCoordinator.get(coordinator, "/v1/jobs/" + ids.get(i) + "/receipt")
                    .body();
            ReceiptVerifier.Verdict verdict = ReceiptVerifier.verifyOnce(body.get("receipt"));
            assertThat(verdict.valid()).as(verdict.problem()).isTrue();
            assertThat(verdict.receipt()).isEqualTo(receipts.get(i));
            assertThat(body.path("receipt").path("batch").path("count").asInt()).isEqualTo(3);
            assertThat(body.path("receipt").path("batch").path("index").asInt()).isEqualTo(i);
        }
        JsonNode export =
                TestCoordinator.get(coordinator, "/v1/receipts?from=1").body();
        ReceiptLog.Export log = Json.mapper().treeToValue(export, ReceiptLog.Export.class);
        assertThat(log.entries()).extracting(ReceiptLog.Entry::jobId).containsExactlyElementsOf(ids);
        assertThat(ReceiptLogVerifier.verify(log).problems()).isEmpty();
    }

    /** Each way a compact receipt or its frame can be wrong. */
    enum Forgery {
        SIGNED_BY_ANOTHER_KEY,
        OTHER_OUTPUT,
        OTHER_INPUT,
        OTHER_USAGE,
        TIMES_NOT_THE_SIGNED_ONES,
        COUNT_DOES_NOT_MATCH,
        NO_BATCH,
        TWO_BATCHES
    }

    @ParameterizedTest
    @EnumSource(Forgery.class)
    void aWrongCompactReceiptFailsTheAttemptWithInvalidReceipt(Forgery forgery) throws Exception {
        String id = TestCoordinator.submit(
                coordinator, "{\"type\":\"echo\",\"payload\":{\"n\":2},\"retry\":{\"max_attempts\":1}}");
        Message.AssignJob assign = awaitAssign(id);
        ExecutionReceipt honest = receipt(assign, List.of(), assign.payload(), 1);
        ExecutionReceipt signed = switch (forgery) {
            case OTHER_OUTPUT -> receipt(assign, List.of(), TextNode.valueOf("other"), 1);
            case OTHER_INPUT -> with(honest, Canonical.cid(TextNode.valueOf("other input")), honest.usage());
            case OTHER_USAGE -> with(honest, honest.inputCid(), new ExecutionReceipt.Usage(1, 5, 0));
            default -> honest;
        };
        Message.JobDone done = done(assign, assign.payload(), signed);
        if (forgery == Forgery.TIMES_NOT_THE_SIGNED_ONES) {
            done = withReceipt(done, new CompactReceipt(signed.cid(), signed.startedAt(), "2026-01-01T00:00:00Z"));
        }
        Signer signer = forgery == Forgery.SIGNED_BY_ANOTHER_KEY
                ? RawAgent.Identity.generate().signer()
                : identity.signer();
        Message.ReceiptBatch batch = batch(List.of(signed), signer);
        sendFrame(
                switch (forgery) {
                    case COUNT_DOES_NOT_MATCH -> List.of(done, new Message.ReceiptBatch(2, batch.signature()));
                    case NO_BATCH -> List.of(done);
                    case TWO_BATCHES -> List.of(done, batch, batch);
                    default -> List.of(done, batch);
                });

        JsonNode job = TestCoordinator.awaitStatus(coordinator, id, "FAILED");
        assertThat(job.path("error").path("code").asText()).isEqualTo("invalid_receipt");
        assertThat(job.path("attempts").get(0).path("outcome").asText()).isEqualTo("invalid_receipt");
        assertThat(job.has("receipt_cid")).isFalse();
        assertThat(TestCoordinator.get(coordinator, "/v1/receipts").body().get("entries"))
                .isEmpty();
    }

    private void sendFrame(List<Message> messages) {
        socket.sendText(MessageCodec.batchFrame(
                messages.stream().map(RawAgent.CODEC::encode).toList()));
    }

    private static Message.ReceiptBatch batch(List<ExecutionReceipt> receipts, Signer signer) {
        return new Message.ReceiptBatch(
                receipts.size(),
                ReceiptBatch.sign(
                        receipts.stream().map(ExecutionReceipt::binaryCid).toList(), signer));
    }

    private ExecutionReceipt receipt(Message.AssignJob assign, List<String> chunks, JsonNode result, long duration) {
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
                identity.did(),
                Canonical.cid(assign.payload()),
                output.finish(result),
                "completed",
                now.minusMillis(duration).toString(),
                now.toString(),
                new ExecutionReceipt.Usage(duration, 0, 0));
    }

    private static ExecutionReceipt with(ExecutionReceipt r, String inputCid, ExecutionReceipt.Usage usage) {
        return new ExecutionReceipt(
                r.v(),
                r.jobId(),
                r.specCid(),
                r.attempt(),
                r.executor(),
                inputCid,
                r.outputCid(),
                r.status(),
                r.startedAt(),
                r.finishedAt(),
                usage);
    }

    private static Message.JobDone done(Message.AssignJob assign, JsonNode result, ExecutionReceipt receipt) {
        return new Message.JobDone(
                assign.jobId(),
                assign.attempt(),
                result,
                null,
                1,
                "echo",
                "exact",
                new CompactReceipt(receipt.cid(), receipt.startedAt(), receipt.finishedAt()).toJson());
    }

    private static Message.JobDone withReceipt(Message.JobDone d, CompactReceipt receipt) {
        return new Message.JobDone(
                d.jobId(),
                d.attempt(),
                d.result(),
                d.tokens(),
                d.durationMs(),
                d.executor(),
                d.routeRule(),
                receipt.toJson());
    }

    private final java.util.Map<String, Message.AssignJob> assigned = new java.util.HashMap<>();

    private Message.AssignJob awaitAssign(String jobId) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!assigned.containsKey(jobId) && System.nanoTime() < until) {
            if (socket.next(Duration.ofMillis(500)) instanceof Message.AssignJob a) {
                assigned.put(a.jobId(), a); // jobs may be assigned in any order
            }
        }
        if (!assigned.containsKey(jobId)) {
            throw new AssertionError("no assign_job for " + jobId);
        }
        return assigned.get(jobId);
    }
}
