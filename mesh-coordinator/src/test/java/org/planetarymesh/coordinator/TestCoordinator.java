package org.planetarymesh.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.planetarymesh.core.json.Json;

/** Starts a coordinator on a free loopback port with fast health timings, and talks to its REST API. */
final class TestCoordinator {

    static final HttpClient HTTP = HttpClient.newHttpClient();

    private TestCoordinator() {}

    static Coordinator start(Path dataDir) {
        return start(dataDir, UnaryOperator.identity());
    }

    /** Starts with the fast test timings, then whatever {@code tweak} changes. */
    static Coordinator start(Path dataDir, UnaryOperator<CoordinatorConfig> tweak) {
        return Coordinator.start(tweak.apply(CoordinatorConfig.defaults(dataDir)
                .withPort(0)
                .withHealth(Duration.ofMillis(200), Duration.ofMillis(600), Duration.ofMillis(1_200))
                .withRecoveryGrace(Duration.ofSeconds(2))
                // ProtocolAgent drives exact protocol sequences without a key; identity is tested in security/.
                .withRequireAgentKey(false)));
    }

    record Response(int status, JsonNode body) {}

    /** One Server-Sent Event as read off the wire. */
    record SseEvent(String id, String event, JsonNode data) {}

    static Response post(Coordinator c, String path, String json) throws Exception {
        return send(
                c,
                HttpRequest.newBuilder(URI.create(c.url() + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    static Response get(Coordinator c, String path) throws Exception {
        return send(c, HttpRequest.newBuilder(URI.create(c.url() + path)).GET());
    }

    static Response send(Coordinator c, HttpRequest.Builder request) throws Exception {
        return sendRaw(request.header("Authorization", "Bearer " + c.adminToken()));
    }

    /** Sends exactly what the test built (no token added). */
    static Response sendRaw(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response =
                HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = response.body().isEmpty() ? null : Json.mapper().readTree(response.body());
        return new Response(response.statusCode(), body);
    }

    static String status(Coordinator c, String id) throws Exception {
        return get(c, "/v1/jobs/" + id).body().path("status").asText();
    }

    /** Submits one spec, expects 201, returns the new job's id. */
    static String submit(Coordinator c, String spec) throws Exception {
        Response created = post(c, "/v1/jobs", spec);
        assertThat(created.status()).as("submit %s -> %s", spec, created.body()).isEqualTo(201);
        return created.body().path("id").asText();
    }

    static JsonNode job(Coordinator c, String id) throws Exception {
        return get(c, "/v1/jobs/" + id).body();
    }

    /** Waits until job {@code id} has {@code status}, and returns it. */
    static JsonNode awaitStatus(Coordinator c, String id, String status) throws Exception {
        await().atMost(ProtocolAgent.shortly()).until(() -> status(c, id).equals(status));
        return job(c, id);
    }

    static Response cancel(Coordinator c, String id) throws Exception {
        return post(c, "/v1/jobs/" + id + "/cancel", "");
    }

    /** Waits until {@code count} nodes have joined. */
    static void awaitNodes(Coordinator c, int count) {
        await().atMost(ProtocolAgent.shortly())
                .until(() -> c.scheduler().nodes().size() == count);
    }

    /** Reads {@code GET /v1/jobs/{id}/events} raw until the server ends the stream (or 10 s pass). */
    static List<SseEvent> events(Coordinator c, String id, String query) throws Exception {
        List<SseEvent> events = new ArrayList<>();
        readEvents(c, id, query, events);
        return events;
    }

    /** Like {@link #events}, appending each event to {@code events} as it arrives (pass a synchronized list). */
    static void readEvents(Coordinator c, String id, String query, List<SseEvent> events) throws Exception {
        readStream(c, "/v1/jobs/" + id + "/events" + query, c.adminToken(), events);
    }

    /**
     * Reads the event stream at {@code path} raw with {@code token} until the server ends it (or 10 s pass for the
     * headers), appending each event to {@code events} as it arrives (pass a synchronized list).
     */
    static void readStream(Coordinator c, String path, String token, List<SseEvent> events) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(c.url() + path))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build();
        HttpResponse<java.io.InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String eventId = null;
            String name = null;
            StringBuilder data = new StringBuilder();
            for (String line = reader.readLine(); line != null && events.size() < 10_000; line = reader.readLine()) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        events.add(new SseEvent(eventId, name, Json.mapper().readTree(data.toString())));
                    }
                    eventId = null;
                    name = null;
                    data.setLength(0);
                } else if (line.startsWith("id:")) {
                    eventId = line.substring(3).strip();
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).strip());
                }
            }
        }
    }
}
