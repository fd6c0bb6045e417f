package org.planetarymesh.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.planetarymesh.client.Fixtures.frame;
import static org.planetarymesh.client.Fixtures.json;
import static org.planetarymesh.client.LoopbackServer.respond;
import static org.planetarymesh.client.LoopbackServer.startStream;
import static org.planetarymesh.client.LoopbackServer.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.planetarymesh.core.job.Backoff;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobEvent;
import org.planetarymesh.core.job.JobSpec;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.job.RetryPolicy;
import org.planetarymesh.core.job.Scope;
import org.planetarymesh.core.json.Json;

class MeshClientTest {

    @Test
    void normalisesAShortAddress() {
        try (MeshClient client = MeshClient.connect(":7070", "t")) {
            assertThat(client.baseUrl()).isEqualTo("http://localhost:7070");
        }
        try (MeshClient client = MeshClient.connect("http://mesh.example:7070/", "t")) {
            assertThat(client.baseUrl()).isEqualTo("http://mesh.example:7070");
        }
    }

    @Test
    void submitsSnakeCaseJsonWithTokenAndIdempotencyKey() throws IOException {
        Job stored = Fixtures.queuedJob();
        try (LoopbackServer server = new LoopbackServer().on("/v1/jobs", e -> respond(e, 201, json(stored)));
                MeshClient client = MeshClient.connect(server.url(), "secret")) {
            JobSpec spec = JobSpec.of("echo", new TextNode("hi"))
                    .withTimeoutMs(30_000L)
                    .withRetry(new RetryPolicy(5, Backoff.DEFAULT));
            Job answer = client.submit(spec, "order-42");

            assertThat(answer).isEqualTo(stored);
            LoopbackServer.Seen request = server.seen().getFirst();
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.authorization()).isEqualTo("Bearer secret");
            assertThat(request.idempotencyKey()).isEqualTo("order-42");
            JsonNode body = Json.mapper().readTree(request.body());
            assertThat(body.path("type").asText()).isEqualTo("echo");
            assertThat(body.path("timeout_ms").asLong()).isEqualTo(30_000L);
            assertThat(body.path("retry").path("max_attempts").asInt()).isEqualTo(5);
            // Defaults stay out of the body: the coordinator's parser fills the same ones.
            assertThat(body.has("requirements")).isFalse();
            assertThat(body.has("placement")).isFalse();
        }
    }

    @Test
    void submitsABatchAndReturnsTheIds() throws IOException {
        try (LoopbackServer server =
                        new LoopbackServer().on("/v1/jobs/batch", e -> respond(e, 201, "{\"ids\": [\"a\", \"b\"]}"));
                MeshClient client = MeshClient.connect(server.url(), "t")) {
            List<String> ids = client.submitAll(List.of(JobSpec.of("echo", null), JobSpec.of("sleep", null)));

            assertThat(ids).containsExactly("a", "b");
            JsonNode body = Json.mapper().readTree(server.seen().getFirst().body());
            assertThat(body.path("jobs"))
                    .extracting(j -> j.path("type").asText())
                    .containsExactly("echo", "sleep");
        }
    }

    @Test
    void listsWithTheQueryAsParametersAndReadsTheCursor() throws IOException {
        Job job = Fixtures.queuedJob();
        String page = "{\"jobs\": [" + json(job) + "], \"next_cursor\": \"c2\"}";
        try (LoopbackServer server = new LoopbackServer().on("/v1/jobs", e -> respond(e, 200, page));
                MeshClient client = MeshClient.connect(server.url(), "t")) {
            JobPage answer = client.list(JobQuery.all()
                    .withStatus(JobStatus.QUEUED)
                    .withType("shell script")
                    .withScope(Scope.LOCAL)
                    .withLimit(5)
                    .withCursor("c1"));

            assertThat(answer.jobs()).containsExactly(job);
            assertThat(answer.nextCursor()).isEqualTo("c2");
            assertThat(answer.hasMore()).isTrue();
            assertThat(server.seen().getFirst().uri())
                    .isEqualTo("/v1/jobs?status=QUEUED&type=shell+script&scope=LOCAL&limit=5&cursor=c1");
        }
    }

    @Test
    void readsNodesAndHealth() throws IOException {
        String nodes = """
                {"nodes": [{"id": "did:key:z6Mk1", "name": "box", "mode": "websocket", "status": "HEALTHY",
                            "capabilities": ["echo"], "max_concurrent": 8, "running": 2}]}""";
        try (LoopbackServer server = new LoopbackServer()
                        .on("/v1/nodes", e -> respond(e, 200, nodes))
                        .on("/healthz", e -> respond(e, 200, "{\"status\": \"ok\"}"));
                MeshClient client = MeshClient.connect(server.url(), "t")) {
            assertThat(client.nodes()).singleElement().satisfies(node -> {
                assertThat(node.name()).isEqualTo("box");
                assertThat(node.maxConcurrent()).isEqualTo(8);
                assertThat(node.capabilities()).containsExactly("echo");
            });
            assertThat(client.healthy()).isTrue();
        }
    }

    @Test
    void awaitFollowsTheEventsToTheEndAndReturnsTheFinishedJob() throws IOException {
        Job job = Fixtures.queuedJob();
        Job done = Fixtures.inStatus(job, JobStatus.COMPLETED);
        try (LoopbackServer server = new LoopbackServer()
                        .on(
                                "/v1/jobs/" + job.id() + "/events",
                                e -> write(
                                        startStream(e),
                                        frame(JobEvent.progress(job.id(), 1, Fixtures.T0, 1, 0.5, "half"))
                                                + frame(Fixtures.chunk(job.id(), 2, "out"))
                                                + frame(JobEvent.end(done, 3))))
                        .on("/v1/jobs/" + job.id(), e -> respond(e, 200, json(done)));
                MeshClient client = MeshClient.connect(server.url(), "t")) {
            List<JobEvent> seen = new ArrayList<>();
            Job answer = client.await(job.id(), Duration.ofSeconds(10), seen::add);

            assertThat(answer.status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(seen)
                    .extracting(JobEvent::kind)
                    .containsExactly(JobEvent.Kind.PROGRESS, JobEvent.Kind.CHUNK, JobEvent.Kind.END);
        }
    }

    @Test
    void awaitPollsWhenTheStreamKeepsBreaking() throws IOException {
        Job job = Fixtures.queuedJob();
        Job running = Fixtures.inStatus(job, JobStatus.RUNNING);
        Job failed = Fixtures.inStatus(job, JobStatus.FAILED);
        AtomicInteger gets = new AtomicInteger();
        try (LoopbackServer server = new LoopbackServer()
                        // Every stream closes right after one event, as a proxy cutting long answers would.
                        .on(
                                "/v1/jobs/" + job.id() + "/events",
                                e -> write(startStream(e), frame(JobEvent.status(running, 1))))
                        .on(
                                "/v1/jobs/" + job.id(),
                                e -> respond(e, 200, json(gets.incrementAndGet() < 3 ? running : failed)));
                MeshClient client = MeshClient.connect(
                        MeshClientOptions.of(server.url(), "t").withPollInterval(Duration.ofMillis(20)))) {
            Job answer = client.await(job.id(), Duration.ofSeconds(10));

            assertThat(answer.status()).isEqualTo(JobStatus.FAILED);
            assertThat(answer.error().code()).isEqualTo("executor_error");
            String jobEvents = "/v1/jobs/" + job.id() + "/events";
            assertThat(server.seen()).filteredOn(s -> s.uri().equals(jobEvents)).hasSize(3);
            assertThat(server.seen())
                    .filteredOn(s -> s.uri().equals(jobEvents))
                    .extracting(LoopbackServer.Seen::lastEventId)
                    .containsExactly(null, "1", "1");
        }
    }

    @Test
    void awaitGivesUpAtTheTimeoutWithTheLastSeenJob() throws IOException {
        Job job = Fixtures.queuedJob();
        Job running = Fixtures.inStatus(job, JobStatus.RUNNING);
        CountDownLatch testDone = new CountDownLatch(1);
        try (LoopbackServer server = new LoopbackServer()
                        .on("/v1/jobs/" + job.id() + "/events", e -> {
                            write(startStream(e), frame(JobEvent.status(running, 1)));
                            try {
                                testDone.await(10, TimeUnit.SECONDS);
                            } catch (InterruptedException interrupted) {
                                Thread.currentThread().interrupt();
                            }
                        })
                        .on("/v1/jobs/" + job.id(), e -> respond(e, 200, json(running)));
                MeshClient client = MeshClient.connect(server.url(), "t")) {
            long started = System.nanoTime();
            AwaitTimeoutException error = catchThrowableOfType(
                    AwaitTimeoutException.class, () -> client.await(job.id(), Duration.ofMillis(300)));

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            assertThat(error.code()).isEqualTo("await_timeout");
            assertThat(error.lastSeen().status()).isEqualTo(JobStatus.RUNNING);
            assertThat(error.getMessage()).contains(job.id(), "still RUNNING");
        } finally {
            testDone.countDown();
        }
    }
}
