package org.planetarymesh.coordinator;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.planetarymesh.core.json.Json;

/** Starts a coordinator on a free loopback port with fast health timings, and talks to its REST API. */
final class TestCoordinator {

    static final HttpClient HTTP = HttpClient.newHttpClient();

    private TestCoordinator() {}

    static Coordinator start(Path dataDir) {
        return Coordinator.start(CoordinatorConfig.defaults(dataDir)
                .withPort(0)
                .withHealth(Duration.ofMillis(200), Duration.ofMillis(600), Duration.ofMillis(1_200))
                .withRecoveryGrace(Duration.ofSeconds(2)));
    }

    record Response(int status, JsonNode body) {}

    static Response post(Coordinator c, String path, String json) throws Exception {
        return send(c, HttpRequest.newBuilder(URI.create(c.url() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    static Response get(Coordinator c, String path) throws Exception {
        return send(c, HttpRequest.newBuilder(URI.create(c.url() + path)).GET());
    }

    private static Response send(Coordinator c, HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = HTTP.send(
                request.header("Authorization", "Bearer " + c.adminToken()).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = response.body().isEmpty() ? null : Json.mapper().readTree(response.body());
        return new Response(response.statusCode(), body);
    }

    static String status(Coordinator c, String id) throws Exception {
        return get(c, "/v1/jobs/" + id).body().path("status").asText();
    }
}
