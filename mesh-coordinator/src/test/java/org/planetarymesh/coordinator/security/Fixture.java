package org.planetarymesh.coordinator.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.planetarymesh.coordinator.Coordinator;
import org.planetarymesh.coordinator.CoordinatorConfig;
import org.planetarymesh.core.json.Json;

/** A coordinator on a free loopback port plus plain HTTP helpers that send exactly the token a test chooses. */
final class Fixture {

    static final HttpClient HTTP = HttpClient.newHttpClient();

    private Fixture() {}

    static Coordinator start(Path dir, UnaryOperator<CoordinatorConfig> tweak) {
        return Coordinator.start(tweak.apply(CoordinatorConfig.defaults(dir)
                .withPort(0)
                .withHealth(Duration.ofMillis(200), Duration.ofMillis(600), Duration.ofMillis(1_200))
                .withRecoveryGrace(Duration.ofSeconds(2))));
    }

    record Response(int status, JsonNode body, String raw) {}

    /** Sends {@code method path} with {@code body} (null: none) and {@code token} (null: no Authorization header). */
    static Response call(Coordinator c, String method, String path, String body, String token) throws Exception {
        return call(
                HTTP,
                c.url(),
                method,
                path,
                body == null ? null : body.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                token);
    }

    static Response call(HttpClient http, String base, String method, String path, byte[] body, String token)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = null;
        if (!response.body().isEmpty()) {
            try {
                json = Json.mapper().readTree(response.body());
            } catch (Exception e) {
                json = null;
            }
        }
        return new Response(response.statusCode(), json, response.body());
    }

    /** Creates a token of {@code role} as admin; returns {id, token}. */
    static String[] createToken(Coordinator c, String role) throws Exception {
        Response created = call(
                c, "POST", "/v1/tokens", "{\"role\":\"" + role + "\",\"name\":\"test-" + role + "\"}", c.adminToken());
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        return new String[] {
            created.body().get("id").asText(), created.body().get("token").asText()
        };
    }
}
