package org.planetarymesh.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.planetarymesh.core.receipt.Canonical;
import org.planetarymesh.core.receipt.CompactReceipt;
import org.planetarymesh.core.receipt.ExecutionReceipt;
import org.planetarymesh.core.receipt.OutputDigest;
import org.planetarymesh.core.receipt.ReceiptBatch;
import org.planetarymesh.core.receipt.ReceiptVerifier;

/**
 * A real agent signs a receipt for each successful attempt the coordinator names a spec for: it verifies alone, names
 * the payload and the output (chunks in order, then the result), and results of one signing window share a signature.
 */
class AgentReceiptsTest {
    @TempDir
    Path dataDir;

    private FakeCoordinator coordinator;
    private Agent agent;

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
        if (coordinator != null) {
            coordinator.close();
        }
    }

    private void start(Duration window) {
        start(window, false);
    }

    private void start(Duration window, boolean compact) {
        coordinator = new FakeCoordinator(0);
        if (compact) {
            coordinator.offerCompactReceipts();
        }
        agent = Agent.start(AgentConfig.builder()
                .coordinator(coordinator.url())
                .token("join-secret")
                .name("receipts")
                .maxConcurrent(16)
                .dataDir(dataDir)
                .allowShell(List.of("/bin/sh"))
                .httpPort(-1)
                .shutdownGrace(Duration.ZERO)
                .receiptBatch(window)
                .build());
        coordinator.await(Message.Heartbeat.class, h -> true);
    }

    private static Message.AssignJob assign(String jobId, String type, String payload, String specCid)
            throws Exception {
        return new Message.AssignJob(
                jobId, 1, type, Json.mapper().readTree(payload), null, null, "as-" + jobId, specCid);
    }

    private static Message.AssignJob assignUnchecked(String jobId, String payload, String spec) {
        try {
            return assign(jobId, "echo", payload, spec);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aShellJobsReceiptNamesItsSpecPayloadAndEveryChunk() throws Exception {
        start(Duration.ZERO);
        String spec = "bagaaieraiqjw7i2vwntyuekgvulpp2det2kpwt6cd7tx5ayqybqpmhfk76fa";
        String payload = "{\"command\": [\"/bin/sh\", \"-c\", \"echo one; echo two >&2; echo three\"]}";
        coordinator.send(assign("job-shell", "shell", payload, spec));

        Message.JobDone done =
                coordinator.await(Message.JobDone.class, d -> d.jobId().equals("job-shell"));
        ReceiptVerifier.Verdict verdict = ReceiptVerifier.verifyOnce(done.receipt());
        assertThat(verdict.valid()).as(verdict.problem()).isTrue();
        assertThat(verdict.receipt().executor()).isEqualTo(agent.nodeId());
        assertThat(verdict.receipt().specCid()).isEqualTo(spec);
        assertThat(verdict.receipt().attempt()).isEqualTo(1);
        assertThat(verdict.receipt().inputCid())
                .isEqualTo(Canonical.cid(Json.mapper().readTree(payload)));
        OutputDigest output = new OutputDigest();
        coordinator
                .all(Message.JobChunk.class, c -> c.jobId().equals("job-shell"))
                .forEach(c -> output.chunk(c.seq(), c.stream(), c.data()));
        assertThat(verdict.receipt().outputCid()).isEqualTo(output.finish(done.result()));
    }

    @Test
    void noSpecMeansNoReceipt() throws Exception {
        start(Duration.ZERO);
        coordinator.send(assign("job-plain", "echo", "{\"n\":1}", null));
        assertThat(coordinator
                        .await(Message.JobDone.class, d -> d.jobId().equals("job-plain"))
                        .receipt())
                .isNull();
    }

    @Test
    void resultsWithinOneWindowShareOneSignature() throws Exception {
        start(Duration.ofMillis(1_000));
        String spec = Canonical.cid(Json.mapper().readTree("{\"type\":\"echo\"}"));
        coordinator.send(assign("first", "echo", "1", spec));
        JsonNode first = coordinator
                .await(Message.JobDone.class, d -> d.jobId().equals("first"))
                .receipt();
        // Within the window after the first signature, five results at once: they wait for its end and are signed
        // together.
        coordinator.sendBatch(java.util.stream.IntStream.range(0, 5)
                .mapToObj(i -> (Message) assignUnchecked("next-" + i, String.valueOf(i), spec))
                .toList());
        List<JsonNode> rest = java.util.stream.IntStream.range(0, 5)
                .mapToObj(i -> coordinator
                        .await(Message.JobDone.class, d -> d.jobId().equals("next-" + i))
                        .receipt())
                .toList();
        assertThat(rest)
                .allSatisfy(
                        r -> assertThat(ReceiptVerifier.verifyOnce(r).valid()).isTrue());
        assertThat(rest.stream()
                        .map(r -> r.path("batch").path("signature").asText())
                        .distinct())
                .hasSize(1)
                .doesNotContain(first.path("batch").path("signature").asText());
        assertThat(rest.getFirst().path("batch").path("count").asInt()).isEqualTo(5);
    }

    @Test
    void toACoordinatorThatRebuildsReceiptsEachFrameOfResultsEndsWithOneBatchSignature() throws Exception {
        start(Duration.ofMillis(1_000), true);
        String spec = Canonical.cid(Json.mapper().readTree("{\"type\":\"echo\"}"));
        coordinator.send(assign("first", "echo", "{\"n\": 1.50}", spec));
        coordinator.await(Message.JobDone.class, d -> d.jobId().equals("first"));
        coordinator.sendBatch(java.util.stream.IntStream.range(0, 5)
                .mapToObj(i -> (Message) assignUnchecked("next-" + i, "[" + i + "]", spec))
                .toList());
        for (int i = 0; i < 5; i++) {
            String id = "next-" + i;
            coordinator.await(Message.JobDone.class, d -> d.jobId().equals(id));
        }

        byte[] key = org.planetarymesh.core.identity.DidKey.toEd25519(agent.nodeId());
        int signed = 0;
        for (FakeCoordinator.ReceivedFrame frame : coordinator.frames()) {
            List<Message.JobDone> dones = frame.messages().stream()
                    .filter(m -> m instanceof Message.JobDone)
                    .map(m -> (Message.JobDone) m)
                    .toList();
            if (dones.isEmpty()) {
                continue;
            }
            // The receipt each result names is the one the coordinator rebuilds from what it holds.
            List<byte[]> cids = new java.util.ArrayList<>();
            for (Message.JobDone done : dones) {
                Message.AssignJob assign = assignUnchecked(
                        done.jobId(),
                        done.jobId().equals("first")
                                ? "{\"n\": 1.50}"
                                : "[" + done.jobId().charAt(5) + "]",
                        spec);
                CompactReceipt compact = CompactReceipt.fromJson(done.receipt());
                ExecutionReceipt rebuilt = compact.rebuild(
                        done.jobId(),
                        spec,
                        done.attempt(),
                        agent.nodeId(),
                        Canonical.cid(assign.payload()),
                        OutputDigest.ofResult(done.result()),
                        new ExecutionReceipt.Usage(done.durationMs(), 0, 0));
                assertThat(rebuilt.cid()).isEqualTo(compact.cid());
                cids.add(rebuilt.binaryCid());
            }
            assertThat(frame.messages().getLast())
                    .isEqualTo(new Message.ReceiptBatch(
                            dones.size(),
                            ((Message.ReceiptBatch) frame.messages().getLast()).signature()));
            String signature = ((Message.ReceiptBatch) frame.messages().getLast()).signature();
            assertThat(ReceiptBatch.verify(cids, key, signature)).hasSize(dones.size());
            signed += dones.size();
        }
        assertThat(signed).isEqualTo(6);
    }
}
