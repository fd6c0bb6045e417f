package org.planetarymesh.it.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.client.Chunks;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobEvent;
import org.planetarymesh.core.job.JobSpec;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.job.Requirements;
import org.planetarymesh.core.job.RetryPolicy;
import org.planetarymesh.core.node.ModelState;
import org.planetarymesh.core.node.NodeInfo;
import org.planetarymesh.it.MeshCluster;
import org.planetarymesh.it.agent.Jobs;
import org.planetarymesh.testkit.inference.LlamaServer;
import org.planetarymesh.testkit.net.TcpProxy;

/**
 * {@code inference} jobs end to end on real processes: a coordinator, an agent process relaying to a real
 * {@code llama-server} (through a {@link TcpProxy} that shows the backend's side of the connection), jobs submitted
 * through the SDK as any client would.
 */
class InferenceAgentProcessTest {

    @TempDir
    static Path dir;

    static LlamaServer llama;
    static TcpProxy proxy;
    static MeshCluster mesh;
    static MeshClient client;

    @BeforeAll
    static void startMesh() {
        llama = LlamaServer.start();
        proxy = TcpProxy.start(llama.port());
        mesh = new MeshCluster(dir);
        mesh.startCoordinator();
        mesh.startAgent(
                "gpu",
                "--executor-setting",
                "inference.backends=http://127.0.0.1:" + proxy.port(),
                "--executor-setting",
                "inference.discover=false",
                "--executor-setting",
                "inference.max_concurrent=1");
        client = MeshClient.connect(mesh.url(), mesh.token());
    }

    @AfterAll
    static void stopMesh() {
        if (client != null) {
            client.close();
        }
        if (mesh != null) {
            mesh.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (llama != null) {
            llama.close();
        }
    }

    private static JobSpec chat(String model, int maxTokens) {
        return chat(model, maxTokens, "");
    }

    /** A chat job for {@code model}, only on a node serving it; {@code extra} adds payload fields (",\"k\":v"). */
    private static JobSpec chat(String model, int maxTokens, String extra) {
        String payload = "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello mesh\"}],"
                + "\"max_tokens\":" + maxTokens + ",\"temperature\":0" + extra + "}";
        return JobSpec.of("inference", Jobs.json(payload))
                .withRetry(new RetryPolicy(1, RetryPolicy.DEFAULT.backoff()))
                .withRequirements(new Requirements(List.of(), null, java.util.Map.of(), model));
    }

    @Test
    void theAgentAdvertisesTheBackendsModelAndAChatJobStreamsItsAnswer() {
        NodeInfo gpu = client.nodes().stream()
                .filter(n -> n.name().equals("gpu"))
                .findFirst()
                .orElseThrow();
        assertThat(gpu.models()).containsExactly(LlamaServer.MODEL);
        assertThat(gpu.modelStates())
                .containsExactly(new ModelState(LlamaServer.MODEL, true, "llama.cpp@127.0.0.1:" + proxy.port()));
        assertThat(gpu.maxInference()).isEqualTo(1);

        Job job = client.submit(chat(LlamaServer.MODEL, 16));
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        List<JobEvent> events = new ArrayList<>();
        try (var stream = client.events(job.id())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                while (stream.hasNext()) {
                    JobEvent event = stream.next();
                    events.add(event);
                    if (event.kind() == JobEvent.Kind.CHUNK) {
                        assertThat(event.stream()).isEqualTo("content");
                        text.writeBytes(Chunks.bytes(event));
                    }
                }
                return true;
            });
        }

        Job done = client.get(job.id());
        assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
        JsonNode result = done.result();
        assertThat(text.toString(StandardCharsets.UTF_8))
                .isEqualTo(result.path("content").asText())
                .isNotEmpty();
        assertThat(events.stream().filter(e -> e.kind() == JobEvent.Kind.CHUNK).map(JobEvent::chunkSeq))
                .isSorted()
                .doesNotHaveDuplicates();
        assertThat(result.at("/usage/completion_tokens").asLong()).isBetween(1L, 16L);
        assertThat(result.at("/usage/prompt_tokens").asLong()).isPositive();
        assertThat(done.nodeId()).isEqualTo(gpu.id());
    }

    @Test
    void cancellingTheJobClosesTheBackendsConnection() {
        // Counted over every connection: the agent's client may reuse a kept-alive one from an earlier test.
        long abortedBefore = abortedChats();
        proxy.throttle(Duration.ofMillis(40));
        try {
            Job job = client.submit(chat(LlamaServer.MODEL, 400, ",\"ignore_eos\":true"));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> client.get(job.id()).status() == JobStatus.RUNNING);

            Job cancelled = client.cancel(job.id());

            assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
            await().atMost(Duration.ofSeconds(15)).until(() -> abortedChats() == abortedBefore + 1);
        } finally {
            proxy.throttle(Duration.ZERO);
        }
    }

    /** Connections on which the agent hung up in the middle of a chat answer. */
    private static long abortedChats() {
        return proxy.connections().stream()
                .filter(c -> c.lastRequest().equals("POST /v1/chat/completions") && c.abortedByClient())
                .count();
    }

    @Test
    void aModelNoNodeServesFailsWithModelNotLoaded() {
        JobSpec spec =
                chat("no-such-model", 8).withRequirements(new Requirements(List.of(), null, java.util.Map.of(), null));

        Job failed = client.await(client.submit(spec).id(), Duration.ofSeconds(30));

        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.error().code()).isEqualTo("model_not_loaded");
        assertThat(failed.error().message()).contains("no-such-model").contains(LlamaServer.MODEL);
    }
}
