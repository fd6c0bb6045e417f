package org.planetarymesh.it.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.core.node.NodeInfo;
import org.planetarymesh.it.MeshCluster;
import org.planetarymesh.testkit.inference.LlamaServer;
import org.planetarymesh.testkit.inference.OllamaStandIn;
import org.planetarymesh.testkit.net.TcpProxy;

/**
 * The mesh as an OpenAI endpoint, all real processes: a coordinator, agents whose inference executor relays to a real
 * {@code llama-server} (and to the Ollama stand-in), and the official {@code openai} npm client on Node.js pointed at
 * the coordinator's {@code /v1}.
 */
class OpenAiClientTest {

    private static final String MODEL = LlamaServer.MODEL;

    @TempDir
    Path dir;

    private MeshCluster mesh;
    private MeshClient client;
    private LlamaServer llama;
    private OllamaStandIn ollama;

    @BeforeEach
    void start() {
        llama = LlamaServer.start();
        mesh = new MeshCluster(dir);
        mesh.startCoordinator();
        client = MeshClient.connect(mesh.url(), mesh.token());
    }

    @AfterEach
    void stop() {
        client.close();
        mesh.close();
        llama.close();
        if (ollama != null) {
            ollama.close();
        }
    }

    @Test
    void theOfficialClientStreamsCompletesListsModelsAndRaisesErrorsUnchanged() throws Exception {
        String warm = agentOn("warm", llama.baseUrl());

        JsonNode seen = OpenAiNpmClient.run(mesh.url() + "/v1", mesh.token(), MODEL);

        // models.list(): OpenAI's list shape, each model with the nodes serving it.
        assertThat(seen.path("models")).hasSize(1);
        JsonNode model = seen.path("models").get(0);
        assertThat(model.path("id").asText()).isEqualTo(MODEL);
        assertThat(model.path("object").asText()).isEqualTo("model");
        assertThat(model.at("/served_by/0/node_id").asText()).isEqualTo(warm);
        assertThat(model.at("/served_by/0/loaded").asBoolean()).isTrue();

        // A whole completion, as the llama-server behind it generated it.
        JsonNode whole = seen.path("whole");
        assertThat(whole.path("object").asText()).isEqualTo("chat.completion");
        assertThat(whole.at("/choices/0/message/role").asText()).isEqualTo("assistant");
        JsonNode usage = whole.path("usage");
        assertThat(usage.path("completion_tokens").asInt()).isBetween(1, 24);
        assertThat(usage.path("prompt_tokens").asInt()).isPositive();
        assertThat(usage.path("total_tokens").asInt())
                .isEqualTo(usage.path("prompt_tokens").asInt()
                        + usage.path("completion_tokens").asInt());
        Job wholeJob = client.get(jobId(whole));
        assertThat(wholeJob.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(wholeJob.result().path("content").asText())
                .isEqualTo(whole.at("/choices/0/message/content").asText());

        // A stream: role first, text deltas, the finish reason, then the usage chunk; the client ends it at [DONE].
        List<JsonNode> chunks = list(seen.path("chunks"));
        assertThat(chunks.size()).isGreaterThanOrEqualTo(3);
        assertThat(chunks.getFirst().at("/choices/0/delta/role").asText()).isEqualTo("assistant");
        assertThat(chunks).allSatisfy(c -> assertThat(c.path("object").asText()).isEqualTo("chat.completion.chunk"));
        StringBuilder text = new StringBuilder();
        chunks.forEach(c -> text.append(c.at("/choices/0/delta/content").asText("")));
        assertThat(chunks.get(chunks.size() - 2).at("/choices/0/finish_reason").asText())
                .isIn("stop", "length");
        JsonNode last = chunks.getLast();
        assertThat(last.path("choices")).isEmpty();
        assertThat(last.at("/usage/completion_tokens").asInt()).isBetween(1, 24);
        String streamedJob = jobId(chunks.getFirst());
        Job streamed = awaitEnded(streamedJob);
        assertThat(streamed.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(streamed.result().path("content").asText()).isEqualTo(text.toString());
        assertThat(streamed.result().at("/usage/completion_tokens").asInt())
                .isEqualTo(last.at("/usage/completion_tokens").asInt());
        assertThat(streamed.nodeId()).isEqualTo(warm);

        // Errors arrive as the client's own exception classes, with OpenAI's fields.
        JsonNode unknown = seen.path("unknownModel");
        assertThat(unknown.path("isNotFound").asBoolean())
                .as(unknown.toString())
                .isTrue();
        assertThat(unknown.path("status").asInt()).isEqualTo(404);
        assertThat(unknown.path("code").asText()).isEqualTo("model_not_found");
        assertThat(unknown.path("param").asText()).isEqualTo("model");
        JsonNode bad = seen.path("badRequest");
        assertThat(bad.path("isBadRequest").asBoolean()).as(bad.toString()).isTrue();
        assertThat(bad.path("param").asText()).isEqualTo("messages");
    }

    @Test
    void requestsGoToTheNodeWithTheModelLoadedAndTheRoutingSaysSo() throws Exception {
        ollama = OllamaStandIn.start(List.of(), List.of(MODEL)); // serves the model, but cold (not in /api/ps)
        String cold = agentOn("cold", ollama.baseUrl());
        String warm = agentOn("warm", llama.baseUrl());
        await().atMost(Duration.ofSeconds(30))
                .until(() -> client.nodes().stream()
                        .filter(n -> n.id().equals(cold))
                        .anyMatch(n -> n.modelStates().stream().anyMatch(m -> m.id().equals(MODEL) && !m.loaded())));

        try (HttpClient http = HttpClient.newHttpClient()) {
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> answer = http.send(
                        HttpRequest.newBuilder(URI.create(mesh.url() + "/v1/chat/completions"))
                                .header("Authorization", "Bearer " + mesh.token())
                                .header("Content-Type", "application/json")
                                .timeout(Duration.ofSeconds(60))
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                "{\"model\":\"" + MODEL
                                                        + "\",\"max_tokens\":8,\"temperature\":0,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);

                Job job =
                        client.get(answer.headers().firstValue("X-Mesh-Job-Id").orElseThrow());
                assertThat(job.nodeId()).isEqualTo(warm);
                assertThat(job.routing().policy()).isEqualTo("model-aware");
                assertThat(job.routing().reason())
                        .isEqualTo("model " + MODEL + " is loaded on " + warm + "; " + cold + " has it cold");
            }
        }
        assertThat(ollama.chatRequests()).isEmpty();
    }

    @Test
    void aClientThatHangsUpMidStreamCancelsTheJobAndTheBackendSeesItsRequestClose() throws Exception {
        try (TcpProxy proxy = TcpProxy.start(llama.port())) {
            proxy.throttle(Duration.ofMillis(50)); // a long answer: 1,000 tokens, 512 bytes every 50 ms
            agentOn("warm", "http://127.0.0.1:" + proxy.port());
            String body = "{\"model\":\"" + MODEL
                    + "\",\"max_tokens\":1000,\"temperature\":0,\"ignore_eos\":true,\"stream\":true,"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"Tell me everything.\"}]}";
            String jobId;
            // A raw socket, so that hanging up is exactly a TCP close (an HTTP client may drain or pool instead).
            URI coordinator = URI.create(mesh.url());
            try (Socket socket = new Socket(coordinator.getHost(), coordinator.getPort())) {
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                socket.getOutputStream()
                        .write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                                        + mesh.token() + "\r\nContent-Type: application/json\r\nContent-Length: "
                                        + bytes.length + "\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().write(bytes);
                socket.getOutputStream().flush();
                BufferedReader reader =
                        new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                String status = reader.readLine();
                assertThat(status).startsWith("HTTP/1.1 200");
                String header = reader.readLine();
                String id = null;
                for (; header != null && !header.isEmpty(); header = reader.readLine()) {
                    if (header.toLowerCase(java.util.Locale.ROOT).startsWith("x-mesh-job-id:")) {
                        id = header.substring(header.indexOf(':') + 1).strip();
                    }
                }
                jobId = id;
                int deltas = 0;
                for (String line = reader.readLine(); line != null && deltas < 3; line = reader.readLine()) {
                    deltas += line.contains("\"content\":\"") && !line.contains("\"role\"") ? 1 : 0;
                }
                assertThat(deltas).as("text arrived before the hang-up").isEqualTo(3);
            } // hangs up mid-stream
            assertThat(jobId).isNotNull();

            assertThat(awaitEnded(jobId).status()).isEqualTo(JobStatus.CANCELLED);
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(proxy.connections())
                            .as("the agent's connections to llama-server: %s", proxy.connections())
                            .filteredOn(c -> "POST /v1/chat/completions".equals(c.lastRequest()))
                            .singleElement()
                            .satisfies(c -> assertThat(c.abortedByClient()).isTrue()));
        }
    }

    /** Starts an agent whose inference executor relays to {@code backend} only; returns its node id. */
    private String agentOn(String name, String backend) {
        mesh.startAgent(
                name,
                "--executor-setting",
                "inference.backends=" + backend,
                "--executor-setting",
                "inference.discover=false");
        return client.nodes().stream()
                .filter(n -> name.equals(n.name()))
                .map(NodeInfo::id)
                .findFirst()
                .orElseThrow();
    }

    private Job awaitEnded(String id) {
        return await().atMost(Duration.ofSeconds(30))
                .until(() -> client.get(id), job -> job.status().isTerminal());
    }

    /** The mesh job behind an OpenAI answer: its id is {@code chatcmpl-<job id>}. */
    private static String jobId(JsonNode answer) {
        String id = answer.path("id").asText();
        assertThat(id).startsWith("chatcmpl-");
        return id.substring("chatcmpl-".length());
    }

    private static List<JsonNode> list(JsonNode array) {
        return Json.mapper()
                .convertValue(
                        array, Json.mapper().getTypeFactory().constructCollectionType(List.class, JsonNode.class));
    }
}
