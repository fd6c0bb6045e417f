package org.planetarymesh.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.core.node.ModelState;
import org.planetarymesh.core.protocol.Message;

/**
 * docs/API.md against the server: every row of its "Every endpoint, checked" table is sent, in order, to a real
 * coordinator, and its status, answer fields and headers must be what the row documents. A row that drifts from the
 * server fails here, and so does a table that stops covering an endpoint the server routes.
 */
class ApiDocumentTest {

    private static final Path API_MD = Path.of("..", "docs", "API.md");
    private static final Pattern ROW = Pattern.compile(
            "^\\| `(GET|POST|PUT|DELETE) ([^`]+)`( \\(no token\\))? \\|\\s*(?:`(.*)`)?\\s*\\| (\\d{3}) \\|\\s*(.*?)\\s*\\|$");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\w+)\\.id}");

    @TempDir
    Path dir;

    /** One documented request and what its answer must have. */
    record Row(String method, String path, boolean token, String body, int status, String answer) {}

    @Test
    void everyDocumentedRequestAnswersAsDocumented() throws Exception {
        List<Row> rows = rows(Files.readString(API_MD));
        assertThat(rows).as("rows of the checked table in docs/API.md").hasSizeGreaterThan(20);
        Map<String, String> ids = new HashMap<>();
        try (Coordinator coordinator = TestCoordinator.start(dir);
                ProtocolAgent inference = ProtocolAgent.connect(coordinator, docModelServer(), ApiDocumentTest::hello);
                HttpClient http = HttpClient.newHttpClient()) {
            TestCoordinator.awaitNodes(coordinator, 1);
            for (Row row : rows) {
                String path = resolve(row.path(), ids);
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(coordinator.url() + path))
                        .timeout(Duration.ofSeconds(30))
                        .method(
                                row.method(),
                                row.body() == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(row.body()));
                if (row.body() != null) {
                    request.header("Content-Type", "application/json");
                }
                if (row.token()) {
                    request.header("Authorization", "Bearer " + coordinator.adminToken());
                }
                HttpResponse<InputStream> answer =
                        http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
                String what = row.method() + " " + path;
                boolean sse = row.answer().strip().equals("SSE");
                String body;
                try (InputStream in = answer.body()) {
                    // An event stream may never end (GET /v1/events): its headers are the answer checked.
                    body = sse ? "" : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                }
                assertThat(answer.statusCode()).as("%s -> %s", what, body).isEqualTo(row.status());
                assertThat(answer.headers().firstValue("X-Request-Id"))
                        .as("%s has a request id", what)
                        .isPresent();
                if (sse) {
                    assertThat(answer.headers().firstValue("Content-Type").orElse(""))
                            .as(what)
                            .startsWith("text/event-stream");
                    continue;
                }
                if (row.answer().strip().startsWith("text ")) {
                    // A text answer (GET /metrics): the listed words are in its body.
                    for (String expected : expectations(row.answer())) {
                        assertThat(body)
                                .as("%s answer has '%s'", what, expected)
                                .contains(expected);
                    }
                    continue;
                }
                JsonNode json = Json.mapper().readTree(body);
                for (String expected : expectations(row.answer())) {
                    if (expected.startsWith("header:")) {
                        assertThat(answer.headers().firstValue(expected.substring(7)))
                                .as("%s has header %s", what, expected.substring(7))
                                .isPresent();
                    } else {
                        assertThat(json.has(expected))
                                .as("%s answer has '%s': %s", what, expected, body)
                                .isTrue();
                    }
                }
                if (row.status() == 201 && json.has("id")) {
                    ids.put(
                            path.replaceFirst("^/v1", "").split("/")[1],
                            json.path("id").asText());
                }
            }
        }
    }

    /**
     * Routes that answer 2xx only once an agent has run a job, which this test's coordinator has none of: their rows
     * here show the refusal, and ReceiptsTest (mesh-coordinator) and the receipt IT (mesh-it) the 200.
     */
    private static final java.util.Set<String> NEED_AN_AGENT = java.util.Set.of("GET /v1/jobs/{id}/receipt");

    @Test
    void theTableCoversEveryRouteOfTheServer() throws IOException {
        List<String> documented = rows(Files.readString(API_MD)).stream()
                .filter(row -> row.status() < 400
                        || NEED_AN_AGENT.contains(row.method() + " "
                                + row.path().replaceAll("\\?.*", "").replaceAll("\\{\\w+\\.id}", "{id}")))
                .map(row ->
                        row.method() + " " + row.path().replaceAll("\\?.*", "").replaceAll("\\{\\w+\\.id}", "{id}"))
                .distinct()
                .toList();
        Path source = Path.of("src/main/java/org/planetarymesh/coordinator/api/ApiServer.java");
        Matcher route = Pattern.compile("c\\.routes\\.(get|post|delete|put)\\(\"([^\"]+)\"")
                .matcher(Files.readString(source));
        List<String> routed = new ArrayList<>();
        while (route.find()) {
            routed.add(route.group(1).toUpperCase(java.util.Locale.ROOT) + " " + route.group(2));
        }
        assertThat(routed).as("routes in ApiServer").hasSizeGreaterThan(15);
        assertThat(documented).as("documented and answered 2xx in docs/API.md").containsAll(routed);
    }

    /** The header names and fields an "answer has" cell lists: {@code `a b` header `X`}. */
    private static List<String> expectations(String cell) {
        List<String> out = new ArrayList<>();
        Matcher part = Pattern.compile("(header )?`([^`]+)`").matcher(cell);
        while (part.find()) {
            for (String name : part.group(2).split(" ")) {
                out.add(part.group(1) != null ? "header:" + name : name);
            }
        }
        return out;
    }

    private static String resolve(String path, Map<String, String> ids) {
        Matcher placeholder = PLACEHOLDER.matcher(path);
        StringBuilder out = new StringBuilder();
        while (placeholder.find()) {
            String id = ids.get(placeholder.group(1));
            assertThat(id)
                    .as("an earlier row created a %s for %s", placeholder.group(1), path)
                    .isNotNull();
            placeholder.appendReplacement(out, Matcher.quoteReplacement(id));
        }
        placeholder.appendTail(out);
        return out.toString();
    }

    static List<Row> rows(String apiMd) {
        int start = apiMd.indexOf("## Every endpoint, checked");
        assertThat(start).as("the checked table's section in docs/API.md").isNotNegative();
        List<Row> rows = new ArrayList<>();
        for (String line : apiMd.substring(start).lines().toList()) {
            Matcher row = ROW.matcher(line);
            if (row.matches()) {
                rows.add(new Row(
                        row.group(1),
                        row.group(2),
                        row.group(3) == null,
                        row.group(4),
                        Integer.parseInt(row.group(5)),
                        row.group(6)));
            }
        }
        return rows;
    }

    /** The table's one agent: it serves only inference, model {@code doc-model}, so other jobs stay queued. */
    private static Message.Hello docModelServer() {
        return new Message.Hello(
                "doc-agent",
                "doc-agent",
                List.of(),
                List.of("inference"),
                List.of("doc-model"),
                4,
                null,
                Map.of(),
                Map.of(),
                null,
                null,
                List.of(),
                List.of(new ModelState("doc-model", true, "test")),
                4,
                0,
                0);
    }

    /** Answers every chat with the text {@code hello}, as the inference executor would. */
    private static void hello(ProtocolAgent agent, Message.AssignJob assign) {
        agent.send(new Message.JobChunk(
                assign.jobId(), assign.attempt(), 0, OpenAiGatewayTest.base64("hello"), "content"));
        ObjectNode result = Json.mapper().createObjectNode();
        result.put("content", "hello").put("finish_reason", "stop");
        result.putObject("usage")
                .put("prompt_tokens", 1)
                .put("completion_tokens", 1)
                .put("total_tokens", 2);
        agent.send(new Message.JobDone(assign.jobId(), assign.attempt(), result, null, 1, "inference", null, null));
    }
}
