package org.planetarymesh.agent.inference;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.planetarymesh.agent.Agent;
import org.planetarymesh.agent.config.AgentConfig;
import org.planetarymesh.agent.link.FakeCoordinator;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.core.protocol.Message;

/** Starts real agents whose inference settings a test names, against a {@link FakeCoordinator}, and reads replies. */
final class InferenceAgents {
    private InferenceAgents() {}

    /**
     * An agent with discovery off unless the settings turn it on (so it never probes ports other tests use), once its
     * hello arrived.
     */
    static Agent start(FakeCoordinator coordinator, Path dataDir, Map<String, String> inference) {
        AgentConfig.Builder config = AgentConfig.builder()
                .coordinator(coordinator.url())
                .name("inference-agent")
                .maxConcurrent(8)
                .dataDir(dataDir)
                .httpPort(-1)
                .reconnectMax(Duration.ofMillis(400))
                .shutdownGrace(Duration.ZERO);
        config.executorSetting("inference", "discover", "false", "test");
        inference.forEach((key, value) -> config.executorSetting("inference", key, value, "test"));
        Agent agent = Agent.start(config.build());
        coordinator.await(Message.Hello.class, h -> h.nodeId().equals(agent.nodeId()));
        return agent;
    }

    /** A chat request for {@code model} asking at most {@code maxTokens}, greedy so the backend answers the same twice. */
    static ObjectNode chat(String model, int maxTokens) {
        ObjectNode payload = Json.mapper().createObjectNode();
        payload.put("model", model);
        payload.putArray("messages").addObject().put("role", "user").put("content", "Say something about meshes.");
        payload.put("max_tokens", maxTokens);
        payload.put("temperature", 0);
        return payload;
    }

    static Message.AssignJob assign(String jobId, JsonNode payload) {
        return new Message.AssignJob(jobId, 1, "inference", payload, null, null, "as-" + jobId);
    }

    static Message.AssignJob assign(String jobId, JsonNode payload, Instant deadline) {
        return new Message.AssignJob(jobId, 1, "inference", payload, deadline, null, "as-" + jobId);
    }

    /** The job's chunks in the order the agent numbered them. */
    static List<Message.JobChunk> chunks(FakeCoordinator coordinator, String jobId) {
        return coordinator.all(Message.JobChunk.class, c -> c.jobId().equals(jobId)).stream()
                .sorted(Comparator.comparingLong(Message.JobChunk::seq))
                .toList();
    }

    static String text(List<Message.JobChunk> chunks) {
        return chunks.stream()
                .map(c -> new String(Base64.getDecoder().decode(c.data()), StandardCharsets.UTF_8))
                .collect(Collectors.joining());
    }

    /** The job's {@code job_done}; fails at once, with the agent's reason, if the job ended otherwise. */
    static Message.JobDone done(FakeCoordinator coordinator, String jobId) {
        Message ended = coordinator.await(
                Message.class,
                m -> (m instanceof Message.JobDone d && d.jobId().equals(jobId))
                        || (m instanceof Message.JobError e && e.jobId().equals(jobId))
                        || (m instanceof Message.JobRejected r && r.jobId().equals(jobId)),
                Duration.ofSeconds(60));
        assertThat(ended).isInstanceOf(Message.JobDone.class);
        return (Message.JobDone) ended;
    }

    static Message.JobError error(FakeCoordinator coordinator, String jobId) {
        return coordinator.await(Message.JobError.class, e -> e.jobId().equals(jobId), Duration.ofSeconds(60));
    }

    /** The latest heartbeat that names {@code model} among its model states. */
    static Message.Heartbeat heartbeatWith(FakeCoordinator coordinator, String model) {
        return coordinator.await(
                Message.Heartbeat.class,
                h -> h.modelStates().stream().anyMatch(m -> m.id().equals(model)),
                Duration.ofSeconds(10));
    }
}
