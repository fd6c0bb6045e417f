package org.planetarymesh.agent.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.agent.Agent;
import org.planetarymesh.agent.config.AgentConfig;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.core.protocol.Message;
import org.planetarymesh.core.protocol.MessageCodec;

class CoordinatorLinkTest {
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

    private Agent startAgent(int maxConcurrent) {
        AgentConfig config = AgentConfig.builder()
                .coordinator(coordinator.url())
                .token("join-secret")
                .name("test-agent")
                .maxConcurrent(maxConcurrent)
                .labels(java.util.Map.of("zone", "lab"))
                .dataDir(dataDir)
                .allowShell(List.of("/bin/sh"))
                .httpPort(-1)
                .reconnectMax(Duration.ofMillis(400))
                .shutdownGrace(Duration.ZERO)
                .build();
        agent = Agent.start(config);
        return agent;
    }

    private static JsonNode json(String text) throws Exception {
        return Json.mapper().readTree(text);
    }

    private static Message.AssignJob assign(String jobId, String type, String payload, Long timeoutMs)
            throws Exception {
        return new Message.AssignJob(jobId, 1, type, json(payload), null, timeoutMs, "as-" + jobId);
    }

    private static String stdout(FakeCoordinator c, String jobId) {
        return c.all(Message.JobChunk.class, ch -> ch.jobId().equals(jobId) && "stdout".equals(ch.stream())).stream()
                .map(ch -> new String(Base64.getDecoder().decode(ch.data()), StandardCharsets.UTF_8))
                .collect(Collectors.joining());
    }

    @Test
    void helloWelcomeThenHeartbeatSignedWithTheNodeKey() throws Exception {
        coordinator = new FakeCoordinator(0);
        startAgent(3);

        Message.Hello hello = coordinator.await(Message.Hello.class, h -> true);
        assertThat(coordinator.authorizations()).contains("Bearer join-secret");
        assertThat(hello.nodeId()).isEqualTo(agent.nodeId()).startsWith("did:key:z6Mk");
        assertThat(hello.name()).isEqualTo("test-agent");
        assertThat(hello.maxConcurrent()).isEqualTo(3);
        assertThat(hello.executors()).contains("echo", "sleep", "shell", "http");
        assertThat(hello.labels()).containsEntry("zone", "lab");
        assertThat(hello.joinToken()).isEqualTo("join-secret");

        Message.Heartbeat first = coordinator.await(Message.Heartbeat.class, h -> h.signature() != null);
        byte[] raw = Base64.getDecoder().decode(hello.publicKey());
        PublicKey key = KeyFactory.getInstance("Ed25519")
                .generatePublic(
                        new X509EncodedKeySpec(concat(HexFormat.of().parseHex("302a300506032b6570032100"), raw)));
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(key);
        verifier.update(coordinator.challenges().getFirst().getBytes(StandardCharsets.UTF_8));
        assertThat(verifier.verify(Base64.getDecoder().decode(first.signature())))
                .as("first heartbeat signs the welcome challenge")
                .isTrue();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> coordinator.all(Message.Heartbeat.class, h -> true).size() >= 3);
        assertThat(agent.connected()).isTrue();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void assignedShellJobStreamsChunksInOrderThenCompletes() throws Exception {
        coordinator = new FakeCoordinator(0);
        startAgent(2);
        coordinator.await(Message.Heartbeat.class, h -> true);

        coordinator.send(assign(
                "job-stream",
                "shell",
                "{\"command\": [\"/bin/sh\", \"-c\", \"i=0; while [ $i -lt 200 ]; do echo line-$i; i=$((i+1)); done\"]}",
                null));

        Message.JobDone done =
                coordinator.await(Message.JobDone.class, d -> d.jobId().equals("job-stream"));
        assertThat(done.executor()).isEqualTo("shell");
        assertThat(done.routeRule()).isEqualTo("exact");
        assertThat(done.result().get("exit_code").asInt()).isZero();

        List<Message> frames = coordinator.received();
        int accepted = indexOf(
                frames, m -> m instanceof Message.JobAccepted a && a.jobId().equals("job-stream"));
        int doneAt = frames.indexOf(done);
        List<Message.JobChunk> chunks =
                coordinator.all(Message.JobChunk.class, c -> c.jobId().equals("job-stream"));
        assertThat(chunks).isNotEmpty();
        for (int i = 0; i < chunks.size(); i++) {
            assertThat(chunks.get(i).seq()).as("chunk %d", i).isEqualTo(i);
            int at = frames.indexOf(chunks.get(i));
            assertThat(at).isBetween(accepted, doneAt);
        }
        String expected = java.util.stream.IntStream.range(0, 200)
                .mapToObj(i -> "line-" + i + "\n")
                .collect(Collectors.joining());
        assertThat(stdout(coordinator, "job-stream")).isEqualTo(expected);
    }

    private static int indexOf(List<Message> frames, java.util.function.Predicate<Message> p) {
        for (int i = 0; i < frames.size(); i++) {
            if (p.test(frames.get(i))) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void cancelledShellJobLeavesNoProcessBehind() throws Exception {
        coordinator = new FakeCoordinator(0);
        startAgent(2);
        coordinator.await(Message.Heartbeat.class, h -> true);

        coordinator.send(assign(
                "job-cancel",
                "shell",
                "{\"command\": [\"/bin/sh\", \"-c\", \"sleep 30 & echo child=$!; echo shell=$$; wait\"]}",
                null));
        coordinator.await(Message.JobAccepted.class, a -> a.jobId().equals("job-cancel"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> stdout(coordinator, "job-cancel").contains("shell="));
        String out = stdout(coordinator, "job-cancel");
        long child = pid(out, "child");
        long shell = pid(out, "shell");
        assertThat(alive(child)).isTrue();
        assertThat(alive(shell)).isTrue();

        coordinator.send(new Message.JobCancel("job-cancel", 1, "user asked"));

        Message.JobError error =
                coordinator.await(Message.JobError.class, e -> e.jobId().equals("job-cancel"));
        assertThat(error.errorCode()).isEqualTo("cancelled");
        assertThat(error.retryable()).isFalse();
        await().atMost(Duration.ofSeconds(5)).until(() -> !alive(child) && !alive(shell));
        assertThat(coordinator.find(Message.JobDone.class, d -> d.jobId().equals("job-cancel")))
                .isEmpty();
    }

    private static long pid(String out, String name) {
        Matcher m = Pattern.compile(name + "=(\\d+)").matcher(out);
        assertThat(m.find()).as("%s pid in %s", name, out).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Test
    void jobPastItsDeadlineIsReportedTimeout() throws Exception {
        coordinator = new FakeCoordinator(0);
        startAgent(2);
        coordinator.await(Message.Heartbeat.class, h -> true);

        coordinator.send(assign("job-slow", "sleep", "{\"ms\": 30000}", 300L));

        Message.JobError error =
                coordinator.await(Message.JobError.class, e -> e.jobId().equals("job-slow"), Duration.ofSeconds(5));
        assertThat(error.errorCode()).isEqualTo("timeout");
        assertThat(error.retryable()).isTrue();
        assertThat(error.message()).contains("deadline");
    }

    @Test
    void shellJobPastItsDeadlineIsKilledWithItsChildren() throws Exception {
        coordinator = new FakeCoordinator(0);
        startAgent(2);
        coordinator.await(Message.Heartbeat.class, h -> true);

        coordinator.send(assign(
                "job-shell-slow",
                "shell",
                "{\"command\": [\"/bin/sh\", \"-c\", \"sleep 30 & echo child=$!; echo shell=$$; wait\"]}",
                1500L));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> stdout(coordinator, "job-shell-slow").contains("shell="));
        long child = pid(stdout(coordinator, "job-shell-slow"), "child");
        long shell = pid(stdout(coordinator, "job-shell-slow"), "shell");

        Message.JobError error =
                coordinator.await(Message.JobError.class, e -> e.jobId().equals("job-shell-slow"));
        assertThat(error.errorCode()).isEqualTo("timeout");
        await().atMost(Duration.ofSeconds(5)).until(() -> !alive(child) && !alive(shell));
    }

    @Test
    void oneJobPastMaxConcurrentIsRejectedOutOfCapacity() throws Exception {
        coordinator = new FakeCoordinator(0);
        startAgent(2);
        coordinator.await(Message.Heartbeat.class, h -> true);

        for (String id : List.of("cap-1", "cap-2", "cap-3")) {
            coordinator.send(assign(id, "sleep", "{\"ms\": 20000}", null));
        }

        Message.JobRejected rejected =
                coordinator.await(Message.JobRejected.class, r -> r.jobId().equals("cap-3"));
        assertThat(rejected.errorCode()).isEqualTo("out_of_capacity");
        coordinator.await(Message.JobAccepted.class, a -> a.jobId().equals("cap-1"));
        coordinator.await(Message.JobAccepted.class, a -> a.jobId().equals("cap-2"));
        assertThat(coordinator.find(Message.JobAccepted.class, a -> a.jobId().equals("cap-3")))
                .isEmpty();
        coordinator.await(Message.Heartbeat.class, h -> h.runningJobIds().containsAll(List.of("cap-1", "cap-2")));
    }

    @Test
    void unknownTypeIsRejectedUnsupportedAndShellOffListIsRefused() throws Exception {
        coordinator = new FakeCoordinator(0);
        startAgent(2);
        coordinator.await(Message.Heartbeat.class, h -> true);

        coordinator.send(assign("job-unknown", "teleport", "{}", null));
        coordinator.send(assign("job-ls", "shell", "{\"command\": [\"ls\", \"-l\"]}", null));

        assertThat(coordinator
                        .await(Message.JobRejected.class, r -> r.jobId().equals("job-unknown"))
                        .errorCode())
                .isEqualTo("unsupported");
        Message.JobRejected ls =
                coordinator.await(Message.JobRejected.class, r -> r.jobId().equals("job-ls"));
        assertThat(ls.errorCode()).isEqualTo("unsupported");
        assertThat(ls.message()).contains("`mesh agent --allow-shell /bin/sh,ls`");
    }

    @Test
    void reportsAJobThatFinishedWhileTheCoordinatorWasAway() throws Exception {
        coordinator = new FakeCoordinator(0);
        int port = coordinator.port();
        startAgent(4);
        coordinator.await(Message.Heartbeat.class, h -> true);

        coordinator.send(assign("job-short", "sleep", "{\"ms\": 800}", null));
        coordinator.send(assign("job-long", "sleep", "{\"ms\": 60000}", null));
        coordinator.await(Message.JobAccepted.class, a -> a.jobId().equals("job-short"));
        coordinator.await(Message.JobAccepted.class, a -> a.jobId().equals("job-long"));

        coordinator.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> !agent.connected());
        await().atMost(Duration.ofSeconds(5))
                .until(() ->
                        agent.runningJobs().stream().noneMatch(j -> j.jobId().equals("job-short")));
        assertThat(agent.runningJobs()).extracting(Message.RunningJob::jobId).containsExactly("job-long");

        coordinator = new FakeCoordinator(port);

        Message.Hello hello = coordinator.await(Message.Hello.class, h -> true);
        // The finished job is still listed: its outcome is not reported yet, and listing it keeps the coordinator from
        // declaring it lost before the buffered job_done (sent right after this hello) arrives.
        assertThat(hello.runningJobs())
                .containsExactlyInAnyOrder(
                        new Message.RunningJob("job-long", 1), new Message.RunningJob("job-short", 1));
        Message.JobDone done =
                coordinator.await(Message.JobDone.class, d -> d.jobId().equals("job-short"));
        assertThat(done.result().get("slept_ms").asLong()).isEqualTo(800);
        assertThat(coordinator.received().indexOf(done))
                .as("outcome is sent after the new hello")
                .isGreaterThan(coordinator.received().indexOf(hello));
        assertThat(agent.connected()).isTrue();

        coordinator.send(new Message.JobCancel("job-long", 1, "test over"));
        assertThat(coordinator
                        .await(Message.JobError.class, e -> e.jobId().equals("job-long"))
                        .errorCode())
                .isEqualTo("cancelled");
    }

    @Test
    void everyAssignmentInABatchFrameRunsAndIsAnsweredOnce() throws Exception {
        coordinator = new FakeCoordinator(0);
        startAgent(32);
        coordinator.await(Message.Heartbeat.class, h -> true);

        List<Message> batch = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            batch.add(assign("batch-" + i, "echo", "{\"n\": " + i + "}", null));
        }
        batch.add(assign("batch-teleport", "teleport", "{}", null));
        batch.add(assign("batch-sleep", "sleep", "{\"ms\": 1}", null));
        coordinator.sendBatch(batch);

        for (int i = 0; i < 20; i++) {
            String id = "batch-" + i;
            Message.JobDone done =
                    coordinator.await(Message.JobDone.class, d -> d.jobId().equals(id));
            assertThat(done.result().get("n").asInt()).isEqualTo(i);
        }
        coordinator.await(Message.JobDone.class, d -> d.jobId().equals("batch-sleep"));
        assertThat(coordinator
                        .await(Message.JobRejected.class, r -> r.jobId().equals("batch-teleport"))
                        .errorCode())
                .isEqualTo("unsupported");
        for (int i = 0; i < 20; i++) {
            String id = "batch-" + i;
            // at most once: an accept is left out when the result goes in the same frame
            assertThat(coordinator.all(Message.JobAccepted.class, a -> a.jobId().equals(id)))
                    .as("accepted %s", id)
                    .hasSizeLessThanOrEqualTo(1);
            assertThat(coordinator.all(Message.JobDone.class, d -> d.jobId().equals(id)))
                    .as("done %s", id)
                    .hasSize(1);
        }
        // The agent keeps working on its one connection after the batch.
        coordinator.send(assign("after-batch", "echo", "{}", null));
        coordinator.await(Message.JobDone.class, d -> d.jobId().equals("after-batch"));
        assertThat(coordinator.challenges()).hasSize(1);
    }

    private void assignSleepsInOneFrameAndAwaitAccepts(List<String> ids, int ms) throws Exception {
        List<Message> batch = new ArrayList<>();
        for (String id : ids) {
            batch.add(assign(id, "sleep", "{\"ms\": " + ms + "}", null));
        }
        coordinator.sendBatch(batch);
        for (String id : ids) {
            coordinator.await(Message.JobAccepted.class, a -> a.jobId().equals(id));
        }
    }

    @Test
    void acceptsForOneFrameOfAssignmentsLeaveTogetherInOneFrame() throws Exception {
        coordinator = new FakeCoordinator(0);
        startAgent(8);
        coordinator.await(Message.Heartbeat.class, h -> true);

        List<String> ids = List.of("held-0", "held-1", "held-2", "held-3", "held-4", "held-5");
        assignSleepsInOneFrameAndAwaitAccepts(ids, 1000);
        // The WebSocket thread holds the writer back while it handles a frame, then writes what that queued at once.
        List<FakeCoordinator.ReceivedFrame> withAccepts = coordinator.frames().stream()
                .filter(f -> f.messages().stream().anyMatch(Message.JobAccepted.class::isInstance))
                .toList();
        assertThat(withAccepts).hasSize(1);
        assertThat(withAccepts.getFirst().messages())
                .extracting(m -> ((Message.JobAccepted) m).jobId())
                .containsExactlyElementsOf(ids);
    }

    @Test
    void echoResultsForOneFrameOfAssignmentsLeaveTogetherInOneFrameWithoutAccepts() throws Exception {
        coordinator = new FakeCoordinator(0);
        startAgent(16);
        coordinator.await(Message.Heartbeat.class, h -> true);

        List<Message> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            batch.add(assign("inline-" + i, "echo", "{\"n\": " + i + "}", null));
        }
        coordinator.sendBatch(batch);
        for (int i = 0; i < 10; i++) {
            String id = "inline-" + i;
            coordinator.await(Message.JobDone.class, d -> d.jobId().equals(id));
        }

        // Echo runs on the WebSocket's thread while the writer is held: its results share the frame's one reply.
        List<FakeCoordinator.ReceivedFrame> withResults = coordinator.frames().stream()
                .filter(f -> f.messages().stream().anyMatch(Message.JobDone.class::isInstance))
                .toList();
        assertThat(withResults).hasSize(1);
        assertThat(withResults.getFirst().messages())
                .extracting(m -> ((Message.JobDone) m).jobId())
                .containsExactly(
                        batch.stream().map(m -> ((Message.AssignJob) m).jobId()).toArray(String[]::new));
        assertThat(coordinator.all(Message.JobAccepted.class, a -> true)).isEmpty();
    }

    @Test
    void outcomesBufferedWhileAwayGoOutTogetherInOneBatchFrame() throws Exception {
        coordinator = new FakeCoordinator(0);
        int port = coordinator.port();
        startAgent(8);
        coordinator.await(Message.Heartbeat.class, h -> true);

        List<String> ids = List.of("away-0", "away-1", "away-2", "away-3", "away-4");
        assignSleepsInOneFrameAndAwaitAccepts(ids, 1500);

        coordinator.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> !agent.connected());
        await().atMost(Duration.ofSeconds(10)).until(() -> agent.runningJobs().isEmpty());
        coordinator = new FakeCoordinator(port);

        for (String id : ids) {
            coordinator.await(Message.JobDone.class, d -> d.jobId().equals(id));
        }
        // The sender takes everything waiting at once: the five outcomes (and any progress still queued) share one
        // frame.
        List<FakeCoordinator.ReceivedFrame> batches = coordinator.frames().stream()
                .filter(f -> f.messages().size() > 1)
                .toList();
        assertThat(batches).hasSize(1);
        assertThat(batches.getFirst().messages())
                .filteredOn(Message.JobDone.class::isInstance)
                .extracting(m -> ((Message.JobDone) m).jobId())
                .containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void largeOutputIsPackedIntoFramesWithinTheProtocolLimitInOrder() throws Exception {
        coordinator = new FakeCoordinator(0);
        startAgent(2);
        coordinator.await(Message.Heartbeat.class, h -> true);

        coordinator.send(assign(
                "job-big",
                "shell",
                "{\"command\": [\"/bin/sh\", \"-c\", \"yes 0123456789abcdef | head -c 3000000\"]}",
                null));

        coordinator.await(Message.JobDone.class, d -> d.jobId().equals("job-big"), Duration.ofSeconds(30));
        List<Message.JobChunk> chunks =
                coordinator.all(Message.JobChunk.class, c -> c.jobId().equals("job-big"));
        for (int i = 0; i < chunks.size(); i++) {
            assertThat(chunks.get(i).seq()).as("chunk %d", i).isEqualTo(i);
        }
        String out = stdout(coordinator, "job-big");
        assertThat(out).hasSize(3_000_000).startsWith("0123456789abcdef\n0123456789abcdef\n");
        assertThat(coordinator.frames())
                .allSatisfy(f -> assertThat(f.bytes()).isLessThanOrEqualTo(MessageCodec.DEFAULT_MAX_FRAME_BYTES));
        assertThat(coordinator.challenges())
                .as("one session: no frame was refused")
                .hasSize(1);
    }
}
