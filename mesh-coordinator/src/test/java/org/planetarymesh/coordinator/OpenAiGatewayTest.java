package org.planetarymesh.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.core.node.ModelState;
import org.planetarymesh.core.protocol.Message;

/**
 * The OpenAI-compatible gateway against a real coordinator and protocol-level agents that answer inference jobs as the
 * agent's executor does (ordered text chunks, then a result with usage): OpenAI's stream and completion shapes, its
 * error shape and statuses, model-aware placement and its reason, and a client that hangs up cancelling the job.
 */
class OpenAiGatewayTest {

    @TempDir
    Path dir;

    private Coordinator coordinator;
    private final List<ProtocolAgent> agents = new ArrayList<>();

    @BeforeEach
    void start() {
        coordinator = TestCoordinator.start(dir);
    }

    @AfterEach
    void stop() {
        agents.forEach(ProtocolAgent::close);
        coordinator.close();
    }

    @Test
    void aStreamedChatArrivesAsOpenAiChunksInOrderEndingWithUsageAndDone() throws Exception {
        agent("warm", true, streaming("Hel", "lo, ", "wor\"ld\n"));

        HttpResponse<String> response = chat(request("tiny", true, true));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        List<String> data = dataLines(response.body());
        assertThat(data.getLast()).isEqualTo("[DONE]");
        List<JsonNode> chunks = data.subList(0, data.size() - 1).stream()
                .map(OpenAiGatewayTest::json)
                .toList();
        assertThat(chunks).allSatisfy(c -> {
            assertThat(c.path("object").asText()).isEqualTo("chat.completion.chunk");
            assertThat(c.path("model").asText()).isEqualTo("tiny");
            assertThat(c.path("id").asText())
                    .isEqualTo(chunks.getFirst().path("id").asText());
        });
        assertThat(chunks.getFirst().at("/choices/0/delta/role").asText()).isEqualTo("assistant");
        StringBuilder text = new StringBuilder();
        chunks.forEach(c -> text.append(c.at("/choices/0/delta/content").asText("")));
        assertThat(text).hasToString("Hello, wor\"ld\n");
        JsonNode finish = chunks.get(chunks.size() - 2);
        assertThat(finish.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        JsonNode usage = chunks.getLast();
        assertThat(usage.path("choices")).isEmpty();
        assertThat(usage.at("/usage/completion_tokens").asInt()).isEqualTo(3);
        assertThat(usage.at("/usage/prompt_tokens").asInt()).isEqualTo(7);

        // An ordinary job: listed, completed, with its chunks stored for `mesh logs`.
        String jobId = response.headers().firstValue("X-Mesh-Job-Id").orElseThrow();
        assertThat(chunks.getFirst().path("id").asText()).isEqualTo("chatcmpl-" + jobId);
        JsonNode job = TestCoordinator.awaitStatus(coordinator, jobId, "COMPLETED");
        assertThat(job.at("/spec/type").asText()).isEqualTo("inference");
        assertThat(job.at("/spec/requirements/model").asText()).isEqualTo("tiny");
        assertThat(job.at("/result/content").asText()).isEqualTo("Hello, wor\"ld\n");
        List<TestCoordinator.SseEvent> events = TestCoordinator.events(coordinator, jobId, "");
        assertThat(events.stream()
                        .filter(e -> "chunk".equals(e.event()))
                        .map(e -> e.data().path("data").asText()))
                .containsExactly(base64("Hel"), base64("lo, "), base64("wor\"ld\n"));
    }

    @Test
    void aCharacterSplitAcrossTwoChunksArrivesWhole() throws Exception {
        byte[] text = "h\u00e9!".getBytes(StandardCharsets.UTF_8); // é is two bytes: the first chunk ends inside it
        agent("warm", true, (agent, assign) -> {
            java.util.Base64.Encoder b64 = java.util.Base64.getEncoder();
            agent.send(new Message.JobChunk(
                    assign.jobId(), assign.attempt(), 0, b64.encodeToString(java.util.Arrays.copyOf(text, 2)), null));
            agent.send(new Message.JobChunk(
                    assign.jobId(),
                    assign.attempt(),
                    1,
                    b64.encodeToString(java.util.Arrays.copyOfRange(text, 2, text.length)),
                    null));
            agent.send(new Message.JobDone(
                    assign.jobId(),
                    assign.attempt(),
                    Json.mapper().createObjectNode(),
                    null,
                    1,
                    "inference",
                    null,
                    null));
        });

        HttpResponse<String> response = chat(request("tiny", true, false));

        StringBuilder streamed = new StringBuilder();
        dataLines(response.body()).stream()
                .filter(d -> !d.equals("[DONE]"))
                .forEach(d ->
                        streamed.append(json(d).at("/choices/0/delta/content").asText("")));
        assertThat(streamed).hasToString("h\u00e9!");
    }

    @Test
    void aWholeCompletionCarriesTheTextFinishReasonAndUsage() throws Exception {
        agent("warm", true, streaming("one ", "two"));

        HttpResponse<String> response = chat(request("tiny", false, false));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode completion = json(response.body());
        assertThat(completion.path("object").asText()).isEqualTo("chat.completion");
        assertThat(completion.path("id").asText()).startsWith("chatcmpl-");
        assertThat(completion.at("/choices/0/message/role").asText()).isEqualTo("assistant");
        assertThat(completion.at("/choices/0/message/content").asText()).isEqualTo("one two");
        assertThat(completion.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        assertThat(completion.at("/usage/total_tokens").asInt()).isEqualTo(9);
    }

    @Test
    void errorsComeInOpenAisShapeWithAFittingStatus() throws Exception {
        agent("warm", true, failing("backend_unreachable"));

        assertError(chat(request("no-such-model", false, false)), 404, "model_not_found", "model");
        assertError(chat("{\"model\":\"tiny\",\"messages\":[]}"), 400, "invalid_request", "messages");
        assertError(
                chat("{\"model\":\"tiny\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"stream\":\"yes\"}"),
                400,
                "invalid_request",
                "stream");
        assertError(chat("not json"), 400, "malformed_json", null);
        HttpResponse<String> anonymous = TestCoordinator.HTTP.send(
                HttpRequest.newBuilder(URI.create(coordinator.url() + "/v1/models"))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertError(anonymous, 401, "unauthorized", null);
        assertThat(json(anonymous.body()).at("/error/type").asText()).isEqualTo("authentication_error");
        // The backend failing: 502, for a streamed and a whole request alike (it fails before any text).
        assertError(chat(request("tiny", false, false)), 502, "backend_unreachable", null);
        assertError(chat(request("tiny", true, false)), 502, "backend_unreachable", null);
    }

    @Test
    void aBackendTimeoutIs504() throws Exception {
        agent("warm", true, failing("backend_timeout"));

        assertError(chat(request("tiny", false, false)), 504, "backend_timeout", null);
    }

    @Test
    void aModelWhoseEveryNodeIsFullIs429AtOnce() throws Exception {
        Message.Hello oneSlot = new Message.Hello(
                "full",
                "full",
                List.of(),
                List.of("inference"),
                List.of("tiny"),
                1,
                null,
                Map.of(),
                Map.of(),
                null,
                null,
                List.of(),
                List.of(new ModelState("tiny", true, "test")),
                1,
                0,
                0);
        ProtocolAgent agent = ProtocolAgent.connect(coordinator, oneSlot, ProtocolAgent::hold);
        agents.add(agent);
        TestCoordinator.awaitNodes(coordinator, 1);
        chatInBackground(request("tiny", true, false));
        await().atMost(ProtocolAgent.shortly()).until(() -> !agent.assignments().isEmpty());

        HttpResponse<String> refused = chat(request("tiny", false, false));

        assertError(refused, 429, "out_of_capacity", null);
        assertThat(json(refused.body()).at("/error/type").asText()).isEqualTo("rate_limit_error");
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void modelsListsEveryServedModelWithTheNodesServingIt() throws Exception {
        agent("warm", true, streaming("x"));
        agent("cold", false, streaming("x"));

        JsonNode list = json(get("/v1/models").body());

        assertThat(list.path("object").asText()).isEqualTo("list");
        assertThat(list.path("data")).hasSize(1);
        JsonNode model = list.path("data").get(0);
        assertThat(model.path("id").asText()).isEqualTo("tiny");
        assertThat(model.path("object").asText()).isEqualTo("model");
        assertThat(model.path("owned_by").asText()).isNotBlank();
        assertThat(model.path("served_by").findValuesAsText("node_id")).containsExactlyInAnyOrder("warm", "cold");
        assertThat(model.path("served_by")).anySatisfy(s -> {
            assertThat(s.path("node_id").asText()).isEqualTo("warm");
            assertThat(s.path("loaded").asBoolean()).isTrue();
        });
    }

    @Test
    void requestsGoToTheNodeWithTheModelLoadedAndTheRoutingSaysSo() throws Exception {
        agent("cold", false, streaming("from cold"));
        agent("warm", true, streaming("from warm"));

        for (int i = 0; i < 3; i++) {
            HttpResponse<String> response = chat(request("tiny", false, false));
            assertThat(json(response.body()).at("/choices/0/message/content").asText())
                    .isEqualTo("from warm");
            String jobId = response.headers().firstValue("X-Mesh-Job-Id").orElseThrow();
            JsonNode routing =
                    TestCoordinator.awaitStatus(coordinator, jobId, "COMPLETED").path("routing");
            assertThat(routing.path("policy").asText()).isEqualTo("model-aware");
            assertThat(routing.path("winner").asText()).isEqualTo("warm");
            assertThat(routing.path("reason").asText()).isEqualTo("model tiny is loaded on warm; cold has it cold");
        }
    }

    @Test
    void amongWarmNodesTheOneWithFewerQueuedTokensWins() throws Exception {
        ProtocolAgent busy = agent("a-busy", true, ProtocolAgent::hold);
        agent("b-idle", true, streaming("idle"));
        // Equal nodes: the first request goes to a-busy (by id), which holds it.
        chatInBackground(request("tiny", false, false));
        await().atMost(ProtocolAgent.shortly()).until(() -> !busy.assignments().isEmpty());

        JsonNode routing = routingOf(chat(request("tiny", false, false)));

        assertThat(routing.path("winner").asText()).isEqualTo("b-idle");
        assertThat(routing.path("reason").asText())
                .isEqualTo("model tiny is loaded on b-idle and a-busy; b-idle has fewer tokens queued (0 vs 64)");
    }

    @Test
    void amongEqualWarmNodesTheFasterOneWins() throws Exception {
        agent("a-slow", true, 100, 2, streaming("slow"));
        agent("b-fast", true, 900, 2, streaming("fast"));

        JsonNode routing = routingOf(chat(request("tiny", false, false)));

        assertThat(routing.path("winner").asText()).isEqualTo("b-fast");
        assertThat(routing.path("reason").asText())
                .isEqualTo("model tiny is loaded on b-fast and a-slow; b-fast is faster (900 vs 100 tokens/s)");
    }

    @Test
    void aWarmNodeWithEveryInferenceSlotTakenLosesToAColdOne() throws Exception {
        ProtocolAgent warm = agent("a-warm", true, 100, 1, ProtocolAgent::hold); // one inference job at a time
        agent("b-cold", false, 100, 1, streaming("cold"));
        chatInBackground(request("tiny", false, false));
        await().atMost(ProtocolAgent.shortly()).until(() -> !warm.assignments().isEmpty());

        JsonNode routing = routingOf(chat(request("tiny", false, false)));

        assertThat(routing.path("winner").asText()).isEqualTo("b-cold");
        assertThat(routing.path("reason").asText())
                .isEqualTo("model tiny is served (cold) only by b-cold; no other node can take it");
        assertThat(routing.path("candidates")).anySatisfy(c -> {
            assertThat(c.path("node_id").asText()).isEqualTo("a-warm");
            assertThat(c.path("rejected_by").asText()).isEqualTo("no free slot for inference (1 at once)");
        });
    }

    @Test
    void aClientThatHangsUpMidStreamCancelsTheJob() throws Exception {
        ProtocolAgent agent = agent("warm", true, ProtocolAgent::hold);
        HttpResponse<InputStream> response = TestCoordinator.HTTP.send(
                chatRequest(request("tiny", true, false)), HttpResponse.BodyHandlers.ofInputStream());
        Message.AssignJob assign = agent.awaitAssignment(
                response.headers()
                        .firstValue("X-Mesh-Job-Id")
                        .orElse(agent.assignments().getFirst().jobId()),
                1);
        agent.send(new Message.JobChunk(assign.jobId(), 1, 0, base64("first"), "content"));
        BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        String line;
        do {
            line = reader.readLine();
        } while (line != null && !line.contains("first"));
        assertThat(line).contains("first");

        response.body().close();

        // The gateway learns of the hang-up at its next write; the agent keeps producing until told to stop.
        long seq = 1;
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (agent.cancels().isEmpty() && System.nanoTime() < until && seq < 10_000) {
            agent.send(new Message.JobChunk(assign.jobId(), 1, seq++, base64("more"), "content"));
            await().pollDelay(Duration.ofMillis(20))
                    .atMost(Duration.ofSeconds(1))
                    .until(() -> true);
        }
        assertThat(agent.cancels()).extracting(Message.JobCancel::jobId).contains(assign.jobId());
        TestCoordinator.awaitStatus(coordinator, assign.jobId(), "CANCELLED");
    }

    // ------------------------------------------------------------------ helpers

    private ProtocolAgent agent(String id, boolean loaded, BiConsumer<ProtocolAgent, Message.AssignJob> onAssign)
            throws Exception {
        return agent(id, loaded, 100, 2, onAssign);
    }

    /** An agent serving model tiny ({@code loaded} or cold) at {@code tokensPerSecond}, {@code maxInference} at once. */
    private ProtocolAgent agent(
            String id,
            boolean loaded,
            double tokensPerSecond,
            int maxInference,
            BiConsumer<ProtocolAgent, Message.AssignJob> onAssign)
            throws Exception {
        Message.Hello hello = new Message.Hello(
                id,
                id,
                List.of(),
                List.of("inference"),
                List.of("tiny"),
                4,
                null,
                Map.of(),
                Map.of(),
                null,
                null,
                List.of(),
                List.of(new ModelState("tiny", loaded, "llama.cpp@127.0.0.1:1")),
                maxInference,
                0,
                tokensPerSecond);
        ProtocolAgent agent = ProtocolAgent.connect(coordinator, hello, onAssign);
        agents.add(agent);
        TestCoordinator.awaitNodes(coordinator, agents.size());
        return agent;
    }

    /** Answers an inference job as the agent's executor does: the pieces as chunks, then the result with usage. */
    private static BiConsumer<ProtocolAgent, Message.AssignJob> streaming(String... pieces) {
        return (agent, assign) -> {
            agent.send(new Message.JobAccepted(assign.jobId(), assign.attempt()));
            for (int i = 0; i < pieces.length; i++) {
                agent.send(new Message.JobChunk(assign.jobId(), assign.attempt(), i, base64(pieces[i]), "content"));
            }
            ObjectNode result = Json.mapper().createObjectNode();
            result.put("model", "tiny").put("content", String.join("", pieces)).put("finish_reason", "stop");
            result.putObject("usage")
                    .put("prompt_tokens", 7)
                    .put("completion_tokens", pieces.length)
                    .put("total_tokens", 7 + pieces.length);
            result.put("ttft_ms", 1)
                    .put("duration_ms", 2)
                    .put("tokens_per_second", 1500.0)
                    .put("backend", "test");
            agent.send(new Message.JobDone(
                    assign.jobId(),
                    assign.attempt(),
                    result,
                    new Message.Tokens(7, pieces.length),
                    2,
                    "inference",
                    null,
                    null));
        };
    }

    /** A chunk's data: base64 of the text's UTF-8, as every agent sends output. */
    static String base64(String text) {
        return java.util.Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static BiConsumer<ProtocolAgent, Message.AssignJob> failing(String code) {
        return (agent, assign) -> {
            agent.send(new Message.JobAccepted(assign.jobId(), assign.attempt()));
            agent.send(new Message.JobError(assign.jobId(), assign.attempt(), code, "the backend said no", false, 0));
        };
    }

    private static String request(String model, boolean stream, boolean usage) {
        return "{\"model\":\"" + model + "\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]"
                + (stream ? ",\"stream\":true" : "")
                + (usage ? ",\"stream_options\":{\"include_usage\":true}" : "")
                + "}";
    }

    private HttpRequest chatRequest(String body) {
        return HttpRequest.newBuilder(URI.create(coordinator.url() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + coordinator.adminToken())
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private HttpResponse<String> chat(String body) throws Exception {
        return TestCoordinator.HTTP.send(chatRequest(body), HttpResponse.BodyHandlers.ofString());
    }

    /** Sends without waiting for the answer, which does not come while an agent holds the job. */
    private void chatInBackground(String body) {
        TestCoordinator.HTTP.sendAsync(chatRequest(body), HttpResponse.BodyHandlers.ofString());
    }

    /** The routing record of the job behind a chat answer, once the job completed. */
    private JsonNode routingOf(HttpResponse<String> answer) throws Exception {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        String jobId = answer.headers().firstValue("X-Mesh-Job-Id").orElseThrow();
        return TestCoordinator.awaitStatus(coordinator, jobId, "COMPLETED").path("routing");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return TestCoordinator.HTTP.send(
                HttpRequest.newBuilder(URI.create(coordinator.url() + path))
                        .header("Authorization", "Bearer " + coordinator.adminToken())
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> dataLines(String body) {
        return body.lines()
                .filter(l -> l.startsWith("data: "))
                .map(l -> l.substring(6))
                .toList();
    }

    private static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    private static void assertError(HttpResponse<String> response, int status, String code, String param) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode error = json(response.body()).path("error");
        assertThat(error.path("message").asText()).isNotBlank();
        assertThat(error.path("type").asText()).isNotBlank();
        assertThat(error.has("param")).isTrue();
        assertThat(error.path("code").asText()).isEqualTo(code);
        if (param != null) {
            assertThat(error.path("param").asText()).isEqualTo(param);
        }
    }
}
