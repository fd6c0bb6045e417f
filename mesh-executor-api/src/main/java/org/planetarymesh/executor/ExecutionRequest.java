package org.planetarymesh.executor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.time.Instant;

/**
 * One attempt of a job as an executor sees it.
 *
 * @param jobId the job's id, the same on every attempt
 * @param attempt the attempt number, from 1
 * @param type the job type the client submitted (may differ from the executor's name when a routing rule chose it)
 * @param payload the job's JSON payload; {@code null} arrives as JSON null. Do not modify it: the tree may be shared
 * @param deadline when the attempt must end, or {@code null} if never
 */
public record ExecutionRequest(String jobId, int attempt, String type, JsonNode payload, Instant deadline) {
    public ExecutionRequest {
        payload = payload == null ? NullNode.getInstance() : payload;
    }
}
