package org.planetarymesh.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
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
 * is accepted (2xx) with the top-level fields its response schema requires. A path's {@code {id}} is the {@code id} of the last 201 answer to a path without an id under the same collection
 * ({@code /v1/jobs/{id}} takes the job the {@code POST /v1/jobs} example made).
 */
class OpenApiDocumentTest {

    private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");

    /**
     * Requests sent (answer unchecked) before an operation whose example needs a state the file's order cannot leave:
     * the job has been retried back to QUEUED when its DELETE comes, so it is cancelled first.
     */
    private static final Map<String, String> PREPARE = Map.of("DELETE /v1/jobs/{id}", "/cancel");

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
            Set<String> registered = new TreeSet<>();
            coordinator.routes().stream().filter(OpenApiDocumentTest::isApi).forEach(registered::add);
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
                            || op.getValue().path("responses").has("101")
                            || op.getValue().has("x-example-needs")) {
                        // The agent WebSocket, and operations whose example needs what this coordinator lacks (an
                        // agent): the file says which test covers them.
                        continue;
                    }
                    String method = op.getKey().toUpperCase(Locale.ROOT);
                    String route = method + " " + path.getKey();
                    String target = resolve(path.getKey(), ids, route);
                    String before = PREPARE.get(route);
                    if (before != null) {
                        send(coordinator, "POST", target + before, MissingNode.getInstance());
                    }
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
                    JsonNode schema = schema(
                            doc,
                            op.getValue()
                                    .path("responses")
                                    .path(Integer.toString(answer.status()))
                                    .path("content")
                                    .path("application/json")
                                    .path("schema"));
                    if (answer.contentType().startsWith("application/json")) {
                        JsonNode body = Json.mapper().readTree(answer.body());
                        for (JsonNode field : schema.path("required")) {
                            assertThat(body.has(field.asText()))
                                    .as(
                                            "%s answered %d without '%s', which openapi.json says it has: %s",
                                            route, answer.status(), field.asText(), answer.body())
                                    .isTrue();
                        }
                    }
                    if (answer.status() == 201
                            && !path.getKey().contains("{")
                            && answer.body().startsWith("{")) {
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

    /**
     * Whether {@code route} belongs to the REST API this file describes: the dashboard's pages for browsers (HTML at
     * {@code /} and under {@code /ui}) do not.
     */
    private static boolean isApi(String route) {
        String path = route.substring(route.indexOf(' ') + 1);
        return !(path.equals("/") || path.equals("/ui") || path.startsWith("/ui/"));
    }

    /** {@code schema}, or the component it refers to ({@code $ref: #/components/schemas/Job}). */
    private static JsonNode schema(JsonNode doc, JsonNode schema) {
        String ref = schema.path("$ref").asText("");
        if (!ref.startsWith("#/")) {
            return schema;
        }
        return doc.at(ref.substring(1));
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
