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
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.agent.Agent;
import org.planetarymesh.agent.link.FakeCoordinator;
import org.planetarymesh.core.node.ModelState;
import org.planetarymesh.core.protocol.Message;
import org.planetarymesh.testkit.inference.OllamaStandIn;

/** The inference executor speaking Ollama's native {@code /api/chat} (NDJSON) to a stand-in that follows its API. */
class OllamaRelayTest {
    @TempDir
    Path dataDir;

    private FakeCoordinator coordinator;
    private OllamaStandIn ollama;
    private Agent agent;

    @BeforeEach
    void start() {
        coordinator = new FakeCoordinator(0);
        ollama = OllamaStandIn.start(List.of("llama3.2:latest"), List.of("qwen2.5:0.5b"));
    }

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
        ollama.close();
        coordinator.close();
    }

    private void startAgent(Map<String, String> extra) {
        Map<String, String> settings = new java.util.HashMap<>(Map.of("backends", ollama.baseUrl()));
        settings.putAll(extra);
        agent = InferenceAgents.start(coordinator, dataDir, settings);
    }

    @Test
    void advertisesOllamasModelsWithWhichAreLoaded() {
        startAgent(Map.of());

        Message.Hello hello = coordinator.await(Message.Hello.class, h -> true);

        String backend = "ollama@127.0.0.1:" + ollama.port();
        assertThat(hello.modelStates())
                .containsExactlyInAnyOrder(
                        new ModelState("llama3.2:latest", true, backend),
                        new ModelState("llama3.2", true, backend),
                        new ModelState("qwen2.5:0.5b", false, backend));
        assertThat(hello.models()).containsExactlyInAnyOrder("llama3.2:latest", "llama3.2", "qwen2.5:0.5b");
    }

    @Test
    void relaysTheNdjsonStreamAsOrderedChunksWithOllamasCounts() {
        // Every piece its own chunk, so the chunks can be compared word by word.
        startAgent(Map.of("stream_interval_ms", "0"));
        ObjectNode payload = chat("llama3.2", 5);
        payload.put("temperature", 0.2).put("seed", 7);

        coordinator.send(assign("j-ollama", payload));
        Message.JobDone done = done(coordinator, "j-ollama");

        List<Message.JobChunk> chunks = chunks(coordinator, "j-ollama");
        assertThat(chunks).extracting(Message.JobChunk::seq).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(text(chunks)).isEqualTo(String.join("", OllamaStandIn.REPLY.subList(0, 5)));
        JsonNode result = done.result();
        assertThat(result.path("content").asText()).isEqualTo(text(chunks));
        assertThat(result.path("finish_reason").asText()).isEqualTo("length");
        JsonNode sent = ollama.chatRequests().getFirst();
        long promptTokens = 2 + "Say something about meshes.".split(" ").length;
        assertThat(result.at("/usage/prompt_tokens").asLong()).isEqualTo(promptTokens);
        assertThat(result.at("/usage/completion_tokens").asLong()).isEqualTo(5);
        assertThat(result.at("/usage/total_tokens").asLong()).isEqualTo(promptTokens + 5);
        assertThat(done.tokens()).isEqualTo(new Message.Tokens(promptTokens, 5));
        assertThat(result.path("backend").asText()).isEqualTo("ollama@127.0.0.1:" + ollama.port());

        // The chat request in Ollama's own shape: streamed, bounded, the sampling settings under options.
        assertThat(sent.path("model").asText()).isEqualTo("llama3.2");
        assertThat(sent.path("stream").asBoolean()).isTrue();
        assertThat(sent.at("/options/num_predict").asInt()).isEqualTo(5);
        assertThat(sent.at("/options/temperature").asDouble()).isEqualTo(0.2);
        assertThat(sent.at("/options/seed").asInt()).isEqualTo(7);
        assertThat(sent.at("/messages/0/content").asText()).isEqualTo("Say something about meshes.");
    }

    @Test
    void aRequestWithoutMaxTokensIsBoundedByTheAgentsLimit() {
        startAgent(Map.of("max_tokens", "3"));
        ObjectNode payload = chat("llama3.2", 1);
        payload.remove("max_tokens");

        coordinator.send(assign("j-unbounded", payload));
        done(coordinator, "j-unbounded");

        assertThat(ollama.chatRequests().getFirst().at("/options/num_predict").asInt())
                .isEqualTo(3);
    }

    @Test
    void cancelClosesTheStreamOllamaIsSending() {
        startAgent(Map.of());
        ollama.tokenDelay(Duration.ofMillis(50));

        coordinator.send(assign("j-stop", chat("llama3.2", 400)));
        coordinator.await(Message.JobChunk.class, c -> c.jobId().equals("j-stop") && c.seq() >= 1);
        coordinator.send(new Message.JobCancel("j-stop", 1, "client left"));

        assertThat(error(coordinator, "j-stop").errorCode()).isEqualTo("cancelled");
        await().atMost(Duration.ofSeconds(10)).until(() -> ollama.streamsAbortedByClient() == 1);
        assertThat(ollama.streamsCompleted()).isZero();
    }

    @Test
    void aModelOllamaDoesNotKnowAnyMoreIsModelNotLoaded() {
        startAgent(Map.of());
        ObjectNode payload = chat("qwen2.5:0.5b", 4);
        ollama.forget("qwen2.5:0.5b"); // deleted after the agent listed it

        coordinator.send(assign("j-deleted", payload));

        Message.JobError error = error(coordinator, "j-deleted");
        assertThat(error.errorCode()).isEqualTo("model_not_loaded");
        assertThat(error.message()).contains("qwen2.5:0.5b").contains("not found");
    }

    @Test
    void wordsThatComeFasterThanTheStreamIntervalLeaveTogetherAndTheFirstAtOnce() {
        startAgent(Map.of("stream_interval_ms", "150"));
        ollama.tokenDelay(Duration.ofMillis(20));

        coordinator.send(assign("j-paced", chat("llama3.2", 20)));
        Message.JobDone done = done(coordinator, "j-paced");

        List<Message.JobChunk> chunks = chunks(coordinator, "j-paced");
        // 20 words 20 ms apart take at least 380 ms: the first word alone, then a chunk per 150 ms interval at most.
        assertThat(chunks.size()).isBetween(3, 10);
        assertThat(text(chunks.subList(0, 1))).isEqualTo(OllamaStandIn.REPLY.getFirst());
        assertThat(chunks).extracting(Message.JobChunk::seq).containsExactly(seqs(chunks.size()));
        StringBuilder words = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            words.append(OllamaStandIn.REPLY.get(i % OllamaStandIn.REPLY.size()));
        }
        assertThat(text(chunks))
                .isEqualTo(words.toString())
                .isEqualTo(done.result().path("content").asText());
        assertThat(done.tokens().output()).isEqualTo(20);
    }

    private static Long[] seqs(int count) {
        Long[] seqs = new Long[count];
        for (int i = 0; i < count; i++) {
            seqs[i] = (long) i;
        }
        return seqs;
    }

    @Test
    void aBackendAnswering401IsAuthRejectedByBackend() {
        startAgent(Map.of("api_key", "old-key"));
        ollama.requireApiKey("new-key");

        coordinator.send(assign("j-401", chat("llama3.2", 4)));

        Message.JobError error = error(coordinator, "j-401");
        assertThat(error.errorCode()).isEqualTo("auth_rejected_by_backend");
        assertThat(error.retryable()).isFalse();
        assertThat(error.tokensEmitted()).isZero();
    }
}
