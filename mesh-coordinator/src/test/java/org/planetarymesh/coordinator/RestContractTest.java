package org.planetarymesh.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.planetarymesh.coordinator.TestCoordinator.awaitNodes;
import static org.planetarymesh.coordinator.TestCoordinator.awaitStatus;
import static org.planetarymesh.coordinator.TestCoordinator.submit;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.core.job.JobIds;
import org.planetarymesh.core.protocol.Message;

/** The REST contract of docs/API.md: idempotency, batches, listing, SSE, and a JSON error for every bad request. */
class RestContractTest {

    @TempDir
    Path dir;

    @Test
    void anIdempotencyKeyReusedWithAnotherSpecIsAConflictNamingTheFirstJob() throws Exception {
        try (Coordinator coordinator = TestCoordinator.start(dir)) {
            var first = withKey(coordinator, "order-43", "{\"type\":\"echo\",\"payload\":{\"n\":1}}");
            var other = withKey(coordinator, "order-43", "{\"type\":\"echo\",\"payload\":{\"n\":2}}");

            assertThat(first.status()).isEqualTo(201);
            assertThat(other.status()).isEqualTo(409);
            assertThat(other.body().at("/error/code").asText()).isEqualTo("idempotency_key_reused");
            assertThat(other.body().at("/error/message").asText())
                    .contains("'order-43' was already used for job "
                            + first.body().path("id").asText())
                    .contains("use a new key");
            assertThat(TestCoordinator.get(coordinator, "/v1/jobs").body().path("jobs"))
                    .hasSize(1);
        }
    }

    @Test
    void repeatedIdempotencyKeyReturnsTheOriginalJob() throws Exception {
        try (Coordinator coordinator = TestCoordinator.start(dir)) {
            var first = withKey(coordinator, "order-42", "{\"type\":\"echo\",\"payload\":{\"n\":1}}");
            var repeat = withKey(coordinator, "order-42", "{\"type\":\"echo\",\"payload\":{\"n\":1}}");

            assertThat(first.status()).isEqualTo(201);
            assertThat(repeat.status()).isEqualTo(200);
            assertThat(repeat.body().path("id").asText())
                    .isEqualTo(first.body().path("id").asText());
            assertThat(TestCoordinator.get(coordinator, "/v1/jobs").body().path("jobs"))
                    .hasSize(1);
        }
    }

    @Test
    void batchIsAllOrNothingWithPerIndexDetails() throws Exception {
        try (Coordinator coordinator = TestCoordinator.start(dir)) {
            var rejected = TestCoordinator.post(
                    coordinator,
                    "/v1/jobs/batch",
                    "{\"jobs\":[{\"type\":\"echo\"},"
                            + "{\"type\":\"echo\",\"retry\":{\"max_attempts\":0}},{\"type\":\"echo\"},{\"payload\":{}}]}");

            assertThat(rejected.status()).isEqualTo(422);
            assertError(rejected, "invalid_spec");
            List<String> details = new ArrayList<>();
            rejected.body()
                    .path("error")
                    .path("details")
                    .forEach(d -> details.add(
                            d.path("index").asInt() + ":" + d.path("field").asText()));
            assertThat(details).containsExactly("1:retry.max_attempts", "3:type");
            assertThat(TestCoordinator.get(coordinator, "/v1/jobs").body().path("jobs"))
                    .isEmpty();

            var accepted = TestCoordinator.post(
                    coordinator, "/v1/jobs/batch", "{\"jobs\":[{\"type\":\"echo\"},{\"type\":\"sleep\"}]}");
            assertThat(accepted.status()).isEqualTo(201);
            assertThat(accepted.body().path("ids")).hasSize(2);
        }
    }

    @Test
    void listFiltersByStatusAndTypeAndPagesWithoutDuplicates() throws Exception {
        try (Coordinator coordinator = TestCoordinator.start(dir)) {
            StringBuilder batch = new StringBuilder("{\"jobs\":[");
            for (int i = 0; i < 25; i++) {
                batch.append(i == 0 ? "" : ",").append(i % 5 == 0 ? "{\"type\":\"sleep\"}" : "{\"type\":\"echo\"}");
            }
            assertThat(TestCoordinator.post(coordinator, "/v1/jobs/batch", batch + "]}")
                            .status())
                    .isEqualTo(201);
            String cancelled = submit(coordinator, "{\"type\":\"echo\"}");
            assertThat(TestCoordinator.cancel(coordinator, cancelled).status()).isEqualTo(200);

            assertThat(TestCoordinator.get(coordinator, "/v1/jobs?type=sleep")
                            .body()
                            .path("jobs"))
                    .hasSize(5);
            JsonNode onlyCancelled = TestCoordinator.get(coordinator, "/v1/jobs?status=CANCELLED")
                    .body()
                    .path("jobs");
            assertThat(onlyCancelled).hasSize(1);
            assertThat(onlyCancelled.get(0).path("id").asText()).isEqualTo(cancelled);
            assertThat(TestCoordinator.get(coordinator, "/v1/jobs?status=QUEUED&type=echo")
                            .body()
                            .path("jobs"))
                    .hasSize(20);

            Set<String> seen = new HashSet<>();
            List<String> order = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                JsonNode page = TestCoordinator.get(
                                coordinator, "/v1/jobs?limit=7" + (cursor == null ? "" : "&cursor=" + cursor))
                        .body();
                page.path("jobs").forEach(j -> {
                    assertThat(seen.add(j.path("id").asText()))
                            .as("duplicate %s", j.path("id"))
                            .isTrue();
                    order.add(j.path("id").asText());
                });
                cursor = page.path("next_cursor").isTextual()
                        ? page.path("next_cursor").asText()
                        : null;
                pages++;
            } while (cursor != null && pages < 20);
            assertThat(seen).hasSize(26);
            assertThat(pages).isGreaterThanOrEqualTo(4);
            assertThat(order).isSortedAccordingTo(java.util.Comparator.reverseOrder()); // newest first
        }
    }

    @Test
    void eventStreamReplaysFromTheStartAndEndsAfterTheEndEvent() throws Exception {
        try (Coordinator coordinator = TestCoordinator.start(dir);
                ProtocolAgent agent =
                        ProtocolAgent.connect(coordinator, "node-a", List.of("echo"), 2, ProtocolAgent::echo)) {
            awaitNodes(coordinator, 1);
            String id = submit(coordinator, "{\"type\":\"echo\",\"payload\":{\"x\":1}}");
            awaitStatus(coordinator, id, "COMPLETED");

            List<TestCoordinator.SseEvent> events = TestCoordinator.events(coordinator, id, "");

            List<String> statuses = events.stream()
                    .filter(e -> "status".equals(e.event()))
                    .map(e -> e.data().path("status").asText())
                    .toList();
            // An echo finishes before its deferred ASSIGNED/RUNNING write (50 ms) is due, so the durable log goes
            // straight from QUEUED to COMPLETED; a job that runs longer gets those events (see the live-stream test
            // below). The end event and the job itself still say where and how it ran.
            assertThat(statuses).containsExactly("QUEUED", "COMPLETED");
            TestCoordinator.SseEvent last = events.getLast();
            assertThat(last.event()).isEqualTo("end");
            assertThat(last.data().path("status").asText()).isEqualTo("COMPLETED");
            assertThat(last.data().path("result").path("x").asInt()).isEqualTo(1);
            assertThat(events)
                    .allSatisfy(
                            e -> assertThat(e.data().path("job_id").asText()).isEqualTo(id));
            assertThat(events).extracting(e -> Long.parseLong(e.id())).isSorted();
        }
    }

    @Test
    void eventStreamIsServedWithoutAnAcceptHeaderAndKeepsTheConnectionForTheNextRequest() throws Exception {
        try (Coordinator coordinator = TestCoordinator.start(dir);
                ProtocolAgent agent =
                        ProtocolAgent.connect(coordinator, "node-a", List.of("echo"), 2, ProtocolAgent::echo)) {
            awaitNodes(coordinator, 1);
            String id = submit(coordinator, "{\"type\":\"echo\",\"payload\":{}}");
            awaitStatus(coordinator, id, "COMPLETED");

            // As curl sends it: no Accept: text/event-stream.
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(coordinator.url() + "/v1/jobs/" + id + "/events"))
                                    .header("Authorization", "Bearer " + coordinator.adminToken())
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
            // The stream ends after `end` by finishing the response, not by closing the connection.
            assertThat(response.headers().allValues("Connection")).doesNotContain("close");
            assertThat(response.body()).contains("event: end\n").endsWith("\n\n");
        }
    }

    @Test
    void aResultWithoutAnAcceptCompletesTheJobAndSaysItStarted() throws Exception {
        // A real agent leaves out job_accepted when the result goes in the same frame.
        try (Coordinator coordinator = TestCoordinator.start(dir);
                ProtocolAgent agent = ProtocolAgent.connect(
                        coordinator,
                        "node-a",
                        List.of("echo"),
                        2,
                        (a, assign) -> a.send(new Message.JobDone(
                                assign.jobId(), assign.attempt(), assign.payload(), null, 1, "echo", "exact", null)))) {
            awaitNodes(coordinator, 1);
            String id = submit(coordinator, "{\"type\":\"echo\",\"payload\":{\"x\":2}}");

            JsonNode job = awaitStatus(coordinator, id, "COMPLETED");

            assertThat(job.path("started_at").isTextual())
                    .as("started_at of %s", job)
                    .isTrue();
            assertThat(job.path("result").path("x").asInt()).isEqualTo(2);
            assertThat(job.path("attempts")).hasSize(1);
            assertThat(job.path("attempts").get(0).path("outcome").asText()).isEqualTo("completed");
            assertThat(job.path("attempts").get(0).path("executor").asText()).isEqualTo("echo");
        }
    }

    @Test
    void liveEventStreamFollowsARunningJobUntilItEnds() throws Exception {
        try (Coordinator coordinator = TestCoordinator.start(dir);
                ProtocolAgent agent =
                        ProtocolAgent.connect(coordinator, "node-a", List.of("echo"), 2, ProtocolAgent::hold)) {
            awaitNodes(coordinator, 1);
            String id = submit(coordinator, "{\"type\":\"echo\"}");
            var assign = agent.awaitAssignment(id, 1);
            awaitStatus(coordinator, id, "RUNNING");

            List<TestCoordinator.SseEvent> received = java.util.Collections.synchronizedList(new ArrayList<>());
            var reader = java.util.concurrent.CompletableFuture.runAsync(() -> {
                try {
                    TestCoordinator.readEvents(coordinator, id, "", received);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            org.awaitility.Awaitility.await()
                    .atMost(ProtocolAgent.shortly())
                    .until(() -> List.copyOf(received).stream()
                            .anyMatch(e ->
                                    "RUNNING".equals(e.data().path("status").asText())));
            assertThat(reader).isNotDone();
            agent.finish(assign);

            reader.get(15, java.util.concurrent.TimeUnit.SECONDS);
            List<TestCoordinator.SseEvent> events = List.copyOf(received);
            assertThat(events.getLast().event()).isEqualTo("end");
            assertThat(events.getLast().data().path("status").asText()).isEqualTo("COMPLETED");
        }
    }

    @Test
    void everyBadRequestGetsAJsonErrorAndTheCoordinatorStillServes() throws Exception {
        try (Coordinator coordinator = TestCoordinator.start(dir, c -> c.withMaxBodyBytes(4_096))) {
            String base = coordinator.url();
            String token = "Bearer " + coordinator.adminToken();
            String unknownId = JobIds.next();
            List<Case> cases = List.of(
                    new Case("no token", req(base, "/v1/jobs").GET(), 401, "unauthorized"),
                    new Case(
                            "bad token",
                            req(base, "/v1/jobs")
                                    .header("Authorization", "Bearer nope")
                                    .GET(),
                            401,
                            "unauthorized"),
                    new Case("healthz without token", req(base, "/healthz").GET(), 200, null),
                    new Case("malformed JSON", json(base, "/v1/jobs", token, "{\"type\":"), 400, "malformed_json"),
                    new Case(
                            "wrong content type",
                            req(base, "/v1/jobs")
                                    .header("Authorization", token)
                                    .header("Content-Type", "text/plain")
                                    .POST(HttpRequest.BodyPublishers.ofString("type=echo")),
                            415,
                            "unsupported_media_type"),
                    new Case(
                            "invalid spec",
                            json(base, "/v1/jobs", token, "{\"type\":\"echo\",\"retry\":{\"max_attempts\":0}}"),
                            422,
                            "invalid_spec"),
                    new Case(
                            "wrong field type",
                            json(base, "/v1/jobs", token, "{\"type\":\"echo\",\"priority\":\"hi\"}"),
                            422,
                            "invalid_spec"),
                    new Case(
                            "unknown job",
                            req(base, "/v1/jobs/" + unknownId)
                                    .header("Authorization", token)
                                    .GET(),
                            404,
                            "not_found"),
                    new Case(
                            "not a job id",
                            req(base, "/v1/jobs/nope")
                                    .header("Authorization", token)
                                    .GET(),
                            404,
                            "not_found"),
                    new Case(
                            "events of unknown job",
                            req(base, "/v1/jobs/" + unknownId + "/events")
                                    .header("Authorization", token)
                                    .GET(),
                            404,
                            "not_found"),
                    new Case(
                            "unknown route",
                            req(base, "/v1/nothing-here")
                                    .header("Authorization", token)
                                    .GET(),
                            404,
                            "not_found"),
                    new Case(
                            "oversize body",
                            json(
                                    base,
                                    "/v1/jobs",
                                    token,
                                    "{\"type\":\"echo\",\"payload\":\"" + "x".repeat(8_000) + "\"}"),
                            413,
                            "body_too_large"),
                    new Case(
                            "limit=0",
                            req(base, "/v1/jobs?limit=0")
                                    .header("Authorization", token)
                                    .GET(),
                            400,
                            "bad_request"),
                    new Case(
                            "unknown status filter",
                            req(base, "/v1/jobs?status=DONE")
                                    .header("Authorization", token)
                                    .GET(),
                            400,
                            "bad_request"),
                    new Case(
                            "batch not a list",
                            json(base, "/v1/jobs/batch", token, "{\"jobs\":{}}"),
                            422,
                            "invalid_spec"),
                    new Case(
                            "cancel unknown job",
                            json(base, "/v1/jobs/" + unknownId + "/cancel", token, "{}"),
                            404,
                            "not_found"),
                    new Case(
                            "unknown node",
                            req(base, "/v1/nodes/ghost")
                                    .header("Authorization", token)
                                    .GET(),
                            404,
                            "not_found"));

            List<String> failures = new ArrayList<>();
            for (Case c : cases) {
                var response = TestCoordinator.sendRaw(c.request());
                String code = response.body() == null
                        ? null
                        : response.body().path("error").path("code").asText(null);
                boolean ok = response.status() == c.status()
                        && (c.code() == null
                                || (c.code().equals(code)
                                        && response.body()
                                                .path("error")
                                                .path("message")
                                                .isTextual()));
                if (!ok) {
                    failures.add(c.name() + ": expected " + c.status() + " " + c.code() + ", got " + response.status()
                            + " " + response.body());
                }
            }
            assertThat(failures).isEmpty();

            var invalid =
                    TestCoordinator.post(coordinator, "/v1/jobs", "{\"type\":\"echo\",\"retry\":{\"max_attempts\":0}}");
            assertThat(invalid.body()
                            .path("error")
                            .path("details")
                            .get(0)
                            .path("field")
                            .asText())
                    .isEqualTo("retry.max_attempts");

            String done = submit(coordinator, "{\"type\":\"echo\"}");
            var cancelDone = TestCoordinator.cancel(coordinator, done);
            assertThat(cancelDone.status()).isEqualTo(200);
            var cancelAgain = TestCoordinator.cancel(coordinator, done);
            assertThat(cancelAgain.status()).isEqualTo(409);
            assertError(cancelAgain, "invalid_transition");

            try (ProtocolAgent agent =
                    ProtocolAgent.connect(coordinator, "node-a", List.of("echo"), 2, ProtocolAgent::echo)) {
                String id = submit(coordinator, "{\"type\":\"echo\",\"payload\":{\"still\":\"serving\"}}");
                assertThat(awaitStatus(coordinator, id, "COMPLETED")
                                .path("result")
                                .path("still")
                                .asText())
                        .isEqualTo("serving");
            }
        }
    }

    private record Case(String name, HttpRequest.Builder request, int status, String code) {}

    private static HttpRequest.Builder req(String base, String path) {
        return HttpRequest.newBuilder(URI.create(base + path));
    }

    private static HttpRequest.Builder json(String base, String path, String token, String body) {
        return req(base, path)
                .header("Authorization", token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static TestCoordinator.Response withKey(Coordinator c, String key, String body) throws Exception {
        return TestCoordinator.send(
                c,
                req(c.url(), "/v1/jobs")
                        .header("Idempotency-Key", key)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static void assertError(TestCoordinator.Response response, String code) {
        assertThat(response.body().path("error").path("code").asText()).isEqualTo(code);
        assertThat(response.body().path("error").path("message").asText()).isNotBlank();
    }
}
