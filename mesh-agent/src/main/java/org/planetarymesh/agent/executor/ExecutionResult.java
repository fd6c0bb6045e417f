package org.planetarymesh.agent.executor;

import com.fasterxml.jackson.databind.JsonNode;
import org.planetarymesh.core.protocol.Message;

/** What a successful execution returns: its JSON result, and token counts when the executor ran a model. */
public record ExecutionResult(JsonNode value, Message.Tokens tokens) {

    /** A result without token counts. */
    public static ExecutionResult of(JsonNode value) {
        return new ExecutionResult(value, null);
    }
}
