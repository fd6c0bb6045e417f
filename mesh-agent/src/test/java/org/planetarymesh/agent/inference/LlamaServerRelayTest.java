package org.planetarymesh.agent.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.planetarymesh.agent.inference.InferenceAgents.assign;
import static org.planetarymesh.agent.inference.InferenceAgents.chat;
import static org.planetarymesh.agent.inference.InferenceAgents.chunks;
import static org.planetarymesh.agent.inference.InferenceAgents.done;
import static org.planetarymesh.agent.inference.InferenceAgents.error;
import static org.planetarymesh.agent.inference.InferenceAgents.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.agent.Agent;
import org.planetarymesh.agent.link.FakeCoordinator;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.core.node.ModelState;
import org.planetarymesh.core.protocol.Message;
import org.planetarymesh.testkit.inference.LlamaServer;
import org.planetarymesh.testkit.net.TcpProxy;

/**
 * The inference executor against a real llama.cpp {@code llama-server} (the OpenAI wire format of vLLM and LM Studio
 * too), through a real agent and its WebSocket link. A {@link TcpProxy} between them shows what the backend's
 * connection sees, and slows the answer down where a test must act in the middle of it.
 */
class LlamaServerRelayTest {
    private static LlamaServer llama;
    private static TcpProxy proxy;

    @TempDir
    Path dataDir;

    private FakeCoordinator coordinator;
    private Agent agent;

    @BeforeAll
    static void startBackend() {
        llama = LlamaServer.start(LlamaServer.Options.defaults().withSlots(2));
        proxy = TcpProxy.start(llama.port());
    }

    @AfterAll
    static void stopBackend() {
        proxy.close();
        llama.close();
    }

    @BeforeEach
    void startCoordinator() {
        coordinator = new FakeCoordinator(0);
        proxy.throttle(Duration.ZERO);
    }

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
        coordinator.close();
    }

    private Agent startAgent(Map<String, String> settings) {
        agent = InferenceAgents.start(coordinator, dataDir, settings);
        return agent;
    }

    private Agent startAgentViaProxy(int maxConcurrent) {
        return startAgent(Map.of(
                "backends", "http://127.0.0.1:" + proxy.port(), "max_concurrent", Integer.toString(maxConcurrent)));
    }

    @Test
    void streamsTheAnswerInOrderedChunksAndReportsTheBackendsUsage() throws Exception {
        startAgentViaProxy(2);
        Message.Hello hello = coordinator.await(Message.Hello.class, h -> true);
        assertThat(hello.models()).containsExactly(LlamaServer.MODEL);
        assertThat(hello.modelStates())
                .containsExactly(new ModelState(LlamaServer.MODEL, true, "llama.cpp@127.0.0.1:" + proxy.port()));
        assertThat(hello.maxInference()).isEqualTo(2);

        ObjectNode payload = chat(LlamaServer.MODEL, 24);
        coordinator.send(assign("j-stream", payload));
        Message.JobDone done = done(coordinator, "j-stream");

        List<Message.JobChunk> chunks = chunks(coordinator, "j-stream");
        assertThat(chunks).hasSizeGreaterThan(1);
        assertThat(chunks).extracting(Message.JobChunk::seq).containsExactly(seqs(chunks.size()));
        assertThat(chunks).extracting(Message.JobChunk::stream).containsOnly("content");
        JsonNode result = done.result();
        assertThat(text(chunks)).isEqualTo(result.path("content").asText()).isNotEmpty();

        // The same request straight to the backend, not streamed: greedy decoding gives the same answer and counts.
        JsonNode direct = directChat(payload);
        assertThat(result.path("content").asText())
                .isEqualTo(direct.at("/choices/0/message/content").asText());
        assertThat(result.path("finish_reason").asText())
                .isEqualTo(direct.at("/choices/0/finish_reason").asText());
        for (String count : List.of("prompt_tokens", "completion_tokens", "total_tokens")) {
            assertThat(result.at("/usage/" + count).asLong())
                    .as(count)
                    .isEqualTo(direct.at("/usage/" + count).asLong());
        }
        assertThat(done.tokens())
                .isEqualTo(new Message.Tokens(
                        direct.at("/usage/prompt_tokens").asLong(),
                        direct.at("/usage/completion_tokens").asLong()));
        assertThat(result.path("model").asText()).isEqualTo(LlamaServer.MODEL);
        assertThat(result.path("backend").asText()).isEqualTo("llama.cpp@127.0.0.1:" + proxy.port());
        assertThat(result.path("ttft_ms").asLong())
                .isBetween(0L, result.path("duration_ms").asLong());
        assertThat(result.path("tokens_per_second").asDouble()).isPositive();
        assertThat(done.executor()).isEqualTo("inference");

        Message.Heartbeat later =
                coordinator.await(Message.Heartbeat.class, h -> h.tokensPerSecond() > 0, Duration.ofSeconds(10));
        assertThat(later.modelStates()).extracting(ModelState::id).containsExactly(LlamaServer.MODEL);
        assertThat(later.maxInference()).isEqualTo(2);
    }

    @Test
    void maxTokensIsBoundedByTheAgentsLimit() {
        startAgent(Map.of("backends", llama.baseUrl(), "max_tokens", "5"));
        ObjectNode payload = chat(LlamaServer.MODEL, 500);
        payload.put("ignore_eos", true); // a llama.cpp extension, passed on: the answer only stops at the bound

        coordinator.send(assign("j-bounded", payload));
        Message.JobDone done = done(coordinator, "j-bounded");

        assertThat(done.result().at("/usage/completion_tokens").asLong()).isEqualTo(5);
        assertThat(done.result().path("finish_reason").asText()).isEqualTo("length");
    }

    @Test
    void cancelMidStreamClosesTheBackendsConnection() {
        int before = proxy.connections().size();
        startAgentViaProxy(2);
        proxy.throttle(Duration.ofMillis(30));
        ObjectNode payload = chat(LlamaServer.MODEL, 400);
        payload.put("ignore_eos", true);

        coordinator.send(assign("j-cancel", payload));
        coordinator.await(Message.JobChunk.class, c -> c.jobId().equals("j-cancel"));
        coordinator.send(new Message.JobCancel("j-cancel", 1, "client went away"));

        Message.JobError error = error(coordinator, "j-cancel");
        assertThat(error.errorCode()).isEqualTo("cancelled");
        assertThat(error.tokensEmitted()).isPositive().isLessThan(400);
        assertStreamAborted(before);
    }

    @Test
    void aDeadlineThatPassesMidStreamIsBackendTimeout() {
        int before = proxy.connections().size();
        startAgentViaProxy(2);
        proxy.throttle(Duration.ofMillis(100));
        ObjectNode payload = chat(LlamaServer.MODEL, 400);
        payload.put("ignore_eos", true);

        coordinator.send(assign("j-late", payload, Instant.now().plusMillis(1500)));

        Message.JobError error = error(coordinator, "j-late");
        assertThat(error.errorCode()).isEqualTo("backend_timeout");
        assertThat(error.retryable()).isTrue();
        assertThat(error.message()).contains("deadline");
        assertStreamAborted(before);
    }

    @Test
    void aModelNoBackendServesIsRefusedModelNotLoaded() {
        startAgentViaProxy(2);

        coordinator.send(assign("j-unknown", chat("no-such-model", 8)));

        Message.JobRejected rejected =
                coordinator.await(Message.JobRejected.class, r -> r.jobId().equals("j-unknown"));
        assertThat(rejected.errorCode()).isEqualTo("model_not_loaded");
        assertThat(rejected.message()).contains("no-such-model").contains(LlamaServer.MODEL);
    }

    @Test
    void oneJobMoreThanMaxConcurrentIsRefusedOutOfCapacityAtOnce() {
        startAgentViaProxy(1);
        proxy.throttle(Duration.ofMillis(50));
        ObjectNode slow = chat(LlamaServer.MODEL, 400);
        slow.put("ignore_eos", true);
        coordinator.send(assign("j-first", slow));
        coordinator.await(Message.JobChunk.class, c -> c.jobId().equals("j-first"));

        long sent = System.nanoTime();
        coordinator.send(assign("j-second", chat(LlamaServer.MODEL, 8)));
        Message.JobRejected rejected =
                coordinator.await(Message.JobRejected.class, r -> r.jobId().equals("j-second"));
        long waitedMs = (System.nanoTime() - sent) / 1_000_000;

        assertThat(rejected.errorCode()).isEqualTo("out_of_capacity");
        assertThat(rejected.message()).contains("1 inference jobs");
        assertThat(waitedMs).as("refused at once, not after the running job").isLessThan(2_000);
        assertThat(coordinator.find(Message.JobDone.class, d -> d.jobId().equals("j-first")))
                .as("the first job is still streaming")
                .isEmpty();
        coordinator.send(new Message.JobCancel("j-first", 1, null));
        error(coordinator, "j-first");
    }

    @Test
    void aStoppedBackendIsBackendUnreachable() {
        LlamaServer own = LlamaServer.start();
        try {
            startAgent(Map.of("backends", own.baseUrl()));
            coordinator.await(Message.Hello.class, h -> h.models().contains(LlamaServer.MODEL));
        } finally {
            own.close();
        }

        coordinator.send(assign("j-gone", chat(LlamaServer.MODEL, 8)));

        Message.JobError error = error(coordinator, "j-gone");
        assertThat(error.errorCode()).isEqualTo("backend_unreachable");
        assertThat(error.retryable()).isTrue();
        assertThat(error.tokensEmitted()).isZero();
        assertThat(error.message()).contains("127.0.0.1:" + own.port());
    }

    @Test
    void aBackendThatRefusesTheKeyIsAuthRejectedByBackend() {
        LlamaServer keyed = LlamaServer.start(LlamaServer.Options.defaults().withApiKey("key-one"));
        try {
            startAgent(Map.of("backends", keyed.baseUrl(), "api_key", "key-one"));
            coordinator.await(Message.Hello.class, h -> h.models().contains(LlamaServer.MODEL));
            // The backend's key is rotated; the agent still sends the old one.
            keyed = keyed.restart(keyed.options().withApiKey("key-two"));

            coordinator.send(assign("j-key", chat(LlamaServer.MODEL, 8)));

            Message.JobError error = error(coordinator, "j-key");
            assertThat(error.errorCode()).isEqualTo("auth_rejected_by_backend");
            assertThat(error.retryable()).isFalse();
            assertThat(error.message()).contains("401").contains("api_key");
        } finally {
            keyed.close();
        }
    }

    /** The agent's connection that carried the chat (after {@code before}) was hung up on mid-answer. */
    private static void assertStreamAborted(int before) {
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(proxy.connections()
                                .subList(before, proxy.connections().size()))
                        .filteredOn(c -> c.lastRequest().equals("POST /v1/chat/completions"))
                        .singleElement()
                        .satisfies(c -> assertThat(c.abortedByClient()).isTrue()));
    }

    private static Long[] seqs(int n) {
        Long[] seqs = new Long[n];
        for (int i = 0; i < n; i++) {
            seqs[i] = (long) i;
        }
        return seqs;
    }

    private static JsonNode directChat(ObjectNode payload) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create(llama.baseUrl() + "/v1/chat/completions"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(payload.toString()))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            return Json.mapper().readTree(response.body());
        }
    }
}
