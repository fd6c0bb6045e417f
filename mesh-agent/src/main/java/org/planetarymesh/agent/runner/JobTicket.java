package org.planetarymesh.agent.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.time.Instant;

/**
 * A request to run one attempt of a job: what, and until when ({@code null} = no deadline). A missing payload is JSON
 * null, so executors never see a Java {@code null}.
 */
public record JobTicket(String jobId, int attempt, String type, JsonNode payload, Instant deadline) {
    public JobTicket {
        payload = payload == null ? NullNode.getInstance() : payload;
    }
}
