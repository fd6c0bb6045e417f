package org.planetarymesh.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.planetarymesh.coordinator.TestCoordinator.awaitNodes;
import static org.planetarymesh.coordinator.TestCoordinator.post;
import static org.planetarymesh.coordinator.TestCoordinator.submit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.coordinator.TestCoordinator.SseEvent;
import org.planetarymesh.coordinator.api.ApiServer;
import org.planetarymesh.core.job.JobIds;
import org.planetarymesh.core.json.Json;

/** {@code GET /v1/events}: every job as it ended, on one live stream, limited to its own jobs for a submit token. */
class MeshEventStreamTest {

    @TempDir
    Path dir;

    @Test
    void theStreamSendsEachEndedJobAsItIsStoredAfterAReadyFrame() throws Exception {
        try (Coordinator coordinator = TestCoordinator.start(dir);
                ProtocolAgent agent =
                        ProtocolAgent.connect(coordinator, "node-a", List.of("echo"), 2, ProtocolAgent::echo)) {
            awaitNodes(coordinator, 1);
            String before = submit(coordinator, "{\"type\":\"echo\",\"payload\":{\"n\":0}}");
            TestCoordinator.awaitStatus(coordinator, before, "COMPLETED");
            List<SseEvent> events = follow(coordinator, coordinator.adminToken());
            await().atMost(ProtocolAgent.shortly()).until(() -> !events.isEmpty());

            SseEvent ready = events.getFirst();
            assertThat(ready.event()).isEqualTo("ready");
            String coversAfter = ready.data().path("covers_jobs_after").asText();
            assertThat(JobIds.isValid(coversAfter)).isTrue();
            assertThat(coversAfter).isGreaterThan(before); // minted when the stream subscribed

            String first = submit(coordinator, "{\"type\":\"echo\",\"payload\":{\"n\":1}}");
            String second = submit(coordinator, "{\"type\":\"echo\",\"payload\":{\"n\":2}}");
            await().atMost(ProtocolAgent.shortly()).until(() -> events.size() == 3);

            assertThat(first).isGreaterThan(coversAfter);
            List<SseEvent> ends = events.subList(1, 3);
            assertThat(ends).extracting(SseEvent::event).containsOnly("end");
            assertThat(ends).extracting(e -> e.data().path("id").asText()).containsExactlyInAnyOrder(first, second);
            for (SseEvent end : ends) {
                String id = end.data().path("id").asText();
                assertThat(end.data()).isEqualTo(TestCoordinator.job(coordinator, id));
                assertThat(end.data().path("status").asText()).isEqualTo("COMPLETED");
            }
        }
    }

    @Test
    void aSubmitTokenSeesOnlyItsOwnJobsEndWhileAdminSeesEvery() throws Exception {
        try (Coordinator coordinator = TestCoordinator.start(dir)) {
            String alice = createSubmitToken(coordinator, "alice");
            List<SseEvent> alices = follow(coordinator, alice);
            List<SseEvent> admins = follow(coordinator, coordinator.adminToken());
            await().atMost(ProtocolAgent.shortly()).until(() -> alices.size() == 1 && admins.size() == 1);

            String adminsJob = submit(coordinator, "{\"type\":\"echo\"}");
            var created = TestCoordinator.sendRaw(HttpRequest.newBuilder(URI.create(coordinator.url() + "/v1/jobs"))
                    .header("Authorization", "Bearer " + alice)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"echo\"}")));
            String alicesJob = created.body().path("id").asText();
            // No agent: cancelling ends them. The admin's first, so a leak would reach alice's stream before hers.
            assertThat(TestCoordinator.cancel(coordinator, adminsJob).status()).isEqualTo(200);
            assertThat(TestCoordinator.cancel(coordinator, alicesJob).status()).isEqualTo(200);

            await().atMost(ProtocolAgent.shortly()).until(() -> alices.size() == 2 && admins.size() == 3);
            assertThat(alices.get(1).data().path("id").asText()).isEqualTo(alicesJob);
            assertThat(alices.get(1).data().path("status").asText()).isEqualTo("CANCELLED");
            assertThat(admins.subList(1, 3))
                    .extracting(e -> e.data().path("id").asText())
                    .containsExactly(adminsJob, alicesJob);
        }
    }

    @Test
    void beyondItsLimitOfOpenStreamsTheNextIsRefusedWith429() throws Exception {
        try (Coordinator coordinator = TestCoordinator.start(dir)) {
            assertThat(TestCoordinator.sendRaw(HttpRequest.newBuilder(URI.create(coordinator.url() + "/v1/events")))
                            .status())
                    .isEqualTo(401);
            List<InputStream> open = new ArrayList<>();
            try {
                for (int i = 0; i < ApiServer.MAX_MESH_EVENT_STREAMS; i++) {
                    HttpResponse<InputStream> stream = openStream(coordinator);
                    assertThat(stream.statusCode()).isEqualTo(200);
                    open.add(stream.body());
                }
                HttpResponse<InputStream> refused = openStream(coordinator);
                assertThat(refused.statusCode()).isEqualTo(429);
                JsonNode error = Json.mapper().readTree(refused.body().readAllBytes());
                assertThat(error.at("/error/code").asText()).isEqualTo("too_many_subscribers");
                assertThat(error.at("/error/message").asText()).contains("close one");
                // The coordinator keeps serving: a job's own stream is not limited by the mesh-wide ones.
                String id = submit(coordinator, "{\"type\":\"echo\"}");
                assertThat(TestCoordinator.events(coordinator, id, "?follow=false"))
                        .extracting(SseEvent::event)
                        .containsExactly("status");
            } finally {
                for (InputStream body : open) {
                    body.close();
                }
            }
        }
    }

    private static HttpResponse<InputStream> openStream(Coordinator coordinator) throws Exception {
        return TestCoordinator.HTTP.send(
                HttpRequest.newBuilder(URI.create(coordinator.url() + "/v1/events"))
                        .header("Authorization", "Bearer " + coordinator.adminToken())
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
    }

    /** Reads the mesh stream with {@code token} on a virtual thread until the coordinator stops. */
    private static List<SseEvent> follow(Coordinator coordinator, String token) {
        List<SseEvent> events = Collections.synchronizedList(new ArrayList<>());
        Thread.ofVirtual().start(() -> {
            try {
                TestCoordinator.readStream(coordinator, "/v1/events", token, events);
            } catch (Exception e) {
                // the coordinator stopped at the end of the test
            }
        });
        return events;
    }

    private static String createSubmitToken(Coordinator coordinator, String name) throws Exception {
        var created = post(coordinator, "/v1/tokens", "{\"role\":\"submit\",\"name\":\"" + name + "\"}");
        assertThat(created.status()).isEqualTo(201);
        return created.body().path("token").asText();
    }
}
