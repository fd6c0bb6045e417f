package org.planetarymesh.coordinator.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.coordinator.Coordinator;
import org.planetarymesh.coordinator.CoordinatorConfig;
import org.planetarymesh.core.job.JobIds;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.core.protocol.Message;
import org.planetarymesh.testkit.agent.RawAgent;

/**
 * Thousands of hostile frames over real agent WebSockets: replayed stale reports from a genuine keyed agent (for jobs
 * it completed, for a job it never held, for ids that do not exist), the same from a second genuine node, and random,
 * malformed and out-of-order frames on throwaway connections. Never a stuck connection (each is closed with a status
 * or still answers a ping), the coordinator keeps scheduling, and no job changes: each completed job keeps its
 * result and its single {@code end} event, the queued one stays queued.
 */
class AgentProtocolFuzzTest {

    static final int REPLAYS = 1_200;
    static final int OTHER_NODE_REPLAYS = 300;
    static final int HOSTILE_FRAMES = 2_000;
    static final Duration BUDGET = Duration.ofSeconds(40);

    @TempDir
    Path dir;

    @Test
    void staleAndHostileFramesChangeNothingAndStickNothing() throws Exception {
        long seed = Seeds.seed("agent protocol");
        Gen gen = Seeds.gen(seed);
        try (Coordinator c = Coordinator.start(
                        CoordinatorConfig.defaults(dir).withPort(0).withMaxFrameBytes(64 * 1024));
                RawAgent genuine = RawAgent.connect(c.url(), c.adminToken())) {
            RawAgent.Identity me = RawAgent.Identity.generate();
            genuine.join(hello(me, List.of("echo")), me);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> c.scheduler().nodes().stream().anyMatch(n -> n.id().equals(me.did())));
            Thread heartbeats = Thread.ofVirtual().start(() -> {
                // Bounded by the test: interrupted at the end.
                while (!Thread.currentThread().isInterrupted()) {
                    genuine.trySend(new Message.Heartbeat(0, List.of(), 0, null));
                    try {
                        Thread.sleep(300);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            try {
                // Three jobs the genuine agent really completes, each with its own result.
                List<String> completed = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    completed.add(runOnce(c, genuine, me, i));
                }
                List<JsonNode> before = new ArrayList<>();
                List<Integer> eventsBefore = new ArrayList<>();
                for (String id : completed) {
                    before.add(job(c, id));
                    eventsBefore.add(events(c, id).size());
                }
                String queued =
                        submit(c, "{\"type\":\"echo\",\"requirements\":{\"capabilities\":[\"nobody-has-it\"]}}");
                JsonNode queuedBefore = job(c, queued);
                assertThat(queuedBefore.get("status").asText()).isEqualTo("QUEUED");

                long deadline = System.nanoTime() + BUDGET.toNanos();
                int frames = 0;
                // 1. Replays from the node that ran the jobs: every report type, stale attempts, other jobs' ids.
                List<String> ids = new ArrayList<>(completed);
                ids.add(queued);
                for (int i = 0; i < REPLAYS && System.nanoTime() < deadline; i++) {
                    Message replay = staleReport(gen, ids, completed);
                    if (!genuine.trySendText(RawAgent.CODEC.encode(replay))) {
                        throw new AssertionError("seed=" + seed + ": the genuine agent was disconnected by replay #" + i
                                + ": " + replay + " / " + genuine.closed.getNow(null));
                    }
                    frames++;
                }
                assertThat(genuine.liveness())
                        .as("seed=%d: genuine connection after replays", seed)
                        .isEqualTo("open");

                // 2. The same replays from a second genuine node that never held any of the jobs.
                RawAgent.Identity other = RawAgent.Identity.generate();
                try (RawAgent second = RawAgent.connect(c.url(), c.adminToken())) {
                    second.join(hello(other, List.of("nothing-matches")), other);
                    for (int i = 0; i < OTHER_NODE_REPLAYS && System.nanoTime() < deadline; i++) {
                        Message replay = staleReport(gen, ids, completed);
                        if (!second.trySendText(RawAgent.CODEC.encode(replay))) {
                            throw new AssertionError("seed=" + seed + ": second node disconnected by " + replay);
                        }
                        frames++;
                    }
                    assertThat(second.liveness()).isEqualTo("open");
                }

                // 3. Hostile connections: garbage, out-of-order protocol, unproven keys, oversize and binary frames.
                int connections = 0;
                int closedByServer = 0;
                List<String> validFrames = CodecAndParserFuzzTest.validFrames(RawAgent.CODEC);
                while (frames < REPLAYS + OTHER_NODE_REPLAYS + HOSTILE_FRAMES
                        && connections < 1_000
                        && System.nanoTime() < deadline) {
                    connections++;
                    List<String> sent = new ArrayList<>();
                    try (RawAgent hostile = RawAgent.connect(c.url(), c.adminToken())) {
                        int scenario = gen.nextInt(5);
                        if (scenario == 1) { // welcomed, not yet proven
                            RawAgent.Identity someone = RawAgent.Identity.generate();
                            String hello = RawAgent.CODEC.encode(hello(someone, List.of("echo")));
                            sent.add(hello);
                            hostile.trySendText(hello);
                            hostile.next(Duration.ofSeconds(10)); // welcome
                        }
                        int count = gen.nextInt(1, 40);
                        for (int k = 0; k < count; k++) {
                            String frame = switch (gen.nextInt(8)) {
                                case 0 -> gen.jsonText(3);
                                case 1 -> gen.invalidUtf8AsString(gen.nextInt(1, 100));
                                case 2 -> RawAgent.CODEC.encode(staleReport(gen, ids, completed));
                                case 3 -> gen.pick(validFrames);
                                case 4 -> gen.chance(10) ? "x".repeat(70 * 1024) : gen.nested(gen.nextInt(1, 100), "1");
                                default -> gen.mutateText(gen.pick(validFrames));
                            };
                            sent.add(frame);
                            frames++;
                            boolean delivered = gen.chance(3)
                                    ? hostile.trySendBinary(gen.invalidUtf8(gen.nextInt(1, 50)))
                                    : hostile.trySendText(frame);
                            if (!delivered) {
                                break;
                            }
                        }
                        String state;
                        try {
                            state = hostile.liveness();
                        } catch (Exception e) {
                            throw new AssertionError(
                                    "seed=" + seed + ": connection #" + connections
                                            + " neither closed nor answered a ping; frames: " + show(sent),
                                    e);
                        }
                        if (state.startsWith("closed")) {
                            closedByServer++;
                            // A server that closes while this client is still writing a large frame makes the
                            // client's kernel see a reset, which discards the close frame unread ("Broken pipe" /
                            // "Connection reset" on our own write). That is still the server's clean close; a
                            // crashed server is caught by the checks after the loop, which need it to serve.
                            boolean resetWhileWriting =
                                    state.contains("Broken pipe") || state.contains("Connection reset");
                            if (state.startsWith("closed -1") && !resetWhileWriting) {
                                throw new AssertionError("seed=" + seed + ": connection #" + connections
                                        + " was dropped without a close frame (" + state + "); frames: " + show(sent));
                            }
                        }
                    }
                }
                System.out.printf(
                        "[fuzz] agent protocol: %d frames (%d replays from the owning node, %d from another node, rest"
                                + " on %d hostile connections of which %d were closed by the server), seed=%d%n",
                        frames, REPLAYS, OTHER_NODE_REPLAYS, connections, closedByServer, seed);
                assertThat(frames).isGreaterThanOrEqualTo(REPLAYS + OTHER_NODE_REPLAYS + HOSTILE_FRAMES);

                // Nothing changed: results, attempts, a single end event each; the queued job still waits.
                for (int i = 0; i < completed.size(); i++) {
                    JsonNode after = job(c, completed.get(i));
                    assertThat(after.get("status").asText()).as("seed=%d", seed).isEqualTo("COMPLETED");
                    assertThat(after.get("result"))
                            .as("seed=%d", seed)
                            .isEqualTo(before.get(i).get("result"));
                    assertThat(after.get("attempt")).isEqualTo(before.get(i).get("attempt"));
                    assertThat(after.get("finished_at")).isEqualTo(before.get(i).get("finished_at"));
                    List<String> events = events(c, completed.get(i));
                    assertThat(events)
                            .as("seed=%d: events of %s", seed, completed.get(i))
                            .hasSize(eventsBefore.get(i));
                    assertThat(events.stream().filter("end"::equals)).hasSize(1);
                }
                JsonNode queuedAfter = job(c, queued);
                assertThat(queuedAfter.get("status").asText()).isEqualTo("QUEUED");
                assertThat(queuedAfter.get("attempt")).isEqualTo(queuedBefore.get("attempt"));
                // And the genuine agent still gets and completes work.
                assertThat(genuine.liveness()).isEqualTo("open");
                runOnce(c, genuine, me, 99);
            } finally {
                heartbeats.interrupt();
            }
        }
    }

    /** The fuzzer's hello for {@code me}: named "fuzz", offering {@code capabilities} on 4 slots. */
    private static Message.Hello hello(RawAgent.Identity me, List<String> capabilities) {
        return RawAgent.hello(me.did(), "fuzz", capabilities, 4, me.publicKeyBase64());
    }

    /** A report that must be refused: job_done/job_error/... for attempts that are not current, or unknown ids. */
    private static Message staleReport(Gen gen, List<String> ids, List<String> completed) {
        String id = gen.chance(20) ? JobIds.next() : gen.pick(ids);
        int attempt = gen.chance(50) ? 1 : gen.pick(List.of(0, 2, -1, Integer.MAX_VALUE, Integer.MIN_VALUE));
        JsonNode result = Json.mapper().createObjectNode().put("forged", gen.ascii(gen.nextInt(0, 30)));
        return switch (gen.nextInt(8)) {
            case 0, 1 -> new Message.JobDone(id, attempt, result, new Message.Tokens(1, 1), 5, "echo", "r", null);
            case 2, 3 -> new Message.JobError(id, attempt, "boom", gen.unicode(gen.nextInt(1, 50)), gen.chance(50), 0);
            case 4 -> new Message.JobAccepted(id, attempt);
            case 5 -> new Message.JobRejected(id, attempt, gen.pick("out_of_capacity", "unsupported"), "no");
            case 6 ->
                new Message.JobProgress(id, attempt, gen.random().nextDouble(-1, 2), gen.ascii(gen.nextInt(0, 200)));
            default -> new Message.JobChunk(id, attempt, gen.nextInt(0, 5), "aGk=", "stdout");
        };
    }

    /** Submits an echo job, lets the genuine agent accept and complete it, returns its id. */
    private static String runOnce(Coordinator c, RawAgent agent, RawAgent.Identity me, int n) throws Exception {
        String id = submit(c, "{\"type\":\"echo\",\"payload\":{\"n\":" + n + "}}");
        Message.AssignJob assign = null;
        for (int i = 0; i < 50 && assign == null; i++) {
            Message m = agent.next(Duration.ofSeconds(10));
            if (m == null) {
                break;
            }
            if (m instanceof Message.AssignJob a && a.jobId().equals(id)) {
                assign = a;
            }
        }
        assertThat(assign).as("assign_job for %s", id).isNotNull();
        agent.trySend(new Message.JobAccepted(id, assign.attempt()));
        JsonNode result = Json.mapper().createObjectNode().put("done", n);
        agent.trySend(
                new Message.JobDone(id, assign.attempt(), result, null, 1, "echo", null, me.receipt(assign, result)));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> job(c, id).get("status").asText().equals("COMPLETED"));
        return id;
    }

    private static String submit(Coordinator c, String spec) throws Exception {
        HttpResponse<String> r = RawAgent.HTTP.send(
                HttpRequest.newBuilder(URI.create(c.url() + "/v1/jobs"))
                        .header("Authorization", "Bearer " + c.adminToken())
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(spec))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return Json.mapper().readTree(r.body()).get("id").asText();
    }

    private static JsonNode job(Coordinator c, String id) throws Exception {
        HttpResponse<String> r = RawAgent.HTTP.send(
                HttpRequest.newBuilder(URI.create(c.url() + "/v1/jobs/" + id))
                        .header("Authorization", "Bearer " + c.adminToken())
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return Json.mapper().readTree(r.body());
    }

    /** The event names of {@code GET /v1/jobs/{id}/events?follow=false}. */
    private static List<String> events(Coordinator c, String id) throws Exception {
        HttpResponse<String> r = RawAgent.HTTP.send(
                HttpRequest.newBuilder(URI.create(c.url() + "/v1/jobs/" + id + "/events?follow=false"))
                        .header("Authorization", "Bearer " + c.adminToken())
                        .header("Accept", "text/event-stream")
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).as("events of %s", id).contains("event:");
        return r.body()
                .lines()
                .filter(l -> l.startsWith("event:"))
                .map(l -> l.substring(6).strip())
                .toList();
    }

    private static String show(List<String> frames) {
        return Gen.show(String.join("\n---\n", frames));
    }
}
