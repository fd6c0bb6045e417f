package org.planetarymesh.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.coordinator.api.OpenApiDocument;
import org.planetarymesh.core.json.Json;

/**
 * Keeps {@code /v1/openapi.json} true: every route the running server registers is described in it, nothing in it is
 * missing from the server, and every operation's example request, sent to a real coordinator in the document's order,
 * is accepted (2xx). A path's {@code {id}} is the {@code id} of the last 201 answer under the same collection
 * ({@code /v1/jobs/{id}} takes the job the {@code POST /v1/jobs} example made).
 */
class OpenApiDocumentTest {

    private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void everyRegisteredRouteIsDescribedAndNothingElse() throws Exception {
        JsonNode doc = document();
        Set<String> described = new TreeSet<>();
        doc.path("paths")
                .properties()
                .forEach(path -> path.getValue().properties().forEach(op -> {
                    if (METHODS.contains(op.getKey())) {
                        described.add(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey());
                    }
                }));
        try (Coordinator coordinator = TestCoordinator.start(dir)) {
            Set<String> registered = new TreeSet<>(coordinator.routes());
            assertThat(registered).as("routes the server registers").hasSizeGreaterThan(15);
            for (String route : registered) {
                assertThat(described)
                        .as(
                                "route %s is registered by the server but not described in"
                                        + " mesh-coordinator/src/main/resources/org/planetarymesh/coordinator/api/openapi.json:"
                                        + " add a path item for it (docs/API.md, 'The OpenAPI description')",
                                route)
                        .contains(route);
            }
            for (String route : described) {
                assertThat(registered)
                        .as("openapi.json describes %s, which the server does not register", route)
                        .contains(route);
            }
        }
    }

    @Test
    void everyExampleRequestIsAccepted() throws Exception {
        JsonNode doc = document();
        try (Coordinator coordinator = TestCoordinator.start(dir)) {
            Map<String, String> ids = new HashMap<>();
            List<String> sent = new ArrayList<>();
            for (var path : doc.path("paths").properties()) {
                for (var op : path.getValue().properties()) {
                    if (!METHODS.contains(op.getKey())
                            || op.getValue().path("responses").has("101")) {
                        continue; // the agent WebSocket: its upgrade is tested by every agent test
                    }
                    String method = op.getKey().toUpperCase(Locale.ROOT);
                    String route = method + " " + path.getKey();
                    String target = resolve(path.getKey(), ids, route);
                    JsonNode example = op.getValue()
                            .path("requestBody")
                            .path("content")
                            .path("application/json")
                            .path("example");
                    Answer answer = send(coordinator, method, target, example);
                    assertThat(answer.status())
                            .as(
                                    "the example of %s in openapi.json (sent %s %s %s) -> %s",
                                    route, method, target, example.isMissingNode() ? "" : example, answer.body())
                            .isBetween(200, 299);
                    if (answer.status() == 201 && answer.body().startsWith("{")) {
                        JsonNode created = Json.mapper().readTree(answer.body());
                        if (created.has("id")) {
                            ids.put(
                                    collection(path.getKey()),
                                    created.path("id").asText());
                        }
                    }
                    sent.add(route);
                }
            }
            assertThat(sent).as("operations sent").hasSizeGreaterThan(15);
        }
    }

    @Test
    void theServerServesTheDocument() throws Exception {
        try (Coordinator coordinator = TestCoordinator.start(dir)) {
            Answer answer =
                    send(coordinator, "GET", "/v1/openapi.json", Json.mapper().missingNode());
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.contentType()).startsWith("application/json");
            JsonNode served = Json.mapper().readTree(answer.body());
            assertThat(served.path("openapi").asText()).isEqualTo("3.1.0");
            assertThat(served).isEqualTo(document());
        }
    }

    private static JsonNode document() throws Exception {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(OpenApiDocument.RESOURCE)) {
            assertThat(in).as("openapi.json on the class path").isNotNull();
            return Json.mapper().readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** The collection a path belongs to: {@code /v1/jobs/{id}/cancel} and {@code /v1/jobs} are both "jobs". */
    private static String collection(String path) {
        return path.replaceFirst("^/v1", "").split("/")[1];
    }

    private static String resolve(String path, Map<String, String> ids, String route) {
        if (!path.contains("{")) {
            return path;
        }
        String id = ids.get(collection(path));
        assertThat(id)
                .as(
                        "%s needs an {id}: describe a POST under /%s with an example that answers 201 with an id before"
                                + " it in openapi.json",
                        route, collection(path))
                .isNotNull();
        return path.replaceAll("\\{[^}]+}", java.net.URLEncoder.encode(id, StandardCharsets.UTF_8));
    }

    /** An answer's status, content type and body (empty for an event stream, which may never end). */
    private record Answer(int status, String contentType, String body) {}

    private static Answer send(Coordinator coordinator, String method, String path, JsonNode example) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(coordinator.url() + path))
                .header("Authorization", "Bearer " + coordinator.adminToken());
        if (example.isMissingNode()) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(example.toString()));
        }
        HttpResponse<InputStream> answer = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        String type = answer.headers().firstValue("Content-Type").orElse("");
        try (InputStream in = answer.body()) {
            String body =
                    type.startsWith("text/event-stream") ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new Answer(answer.statusCode(), type, body);
        }
    }
}
