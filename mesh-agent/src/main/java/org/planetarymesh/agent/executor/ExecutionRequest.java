package org.planetarymesh.agent.executor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.time.Instant;

/** One attempt of a job as an executor sees it; {@code deadline} is {@code null} when the job has none. */
public record ExecutionRequest(String jobId, int attempt, String type, JsonNode payload, Instant deadline) {
    public ExecutionRequest {
        payload = payload == null ? NullNode.getInstance() : payload;
    }
}
