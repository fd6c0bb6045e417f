package org.planetarymesh.agent.runner;

import com.fasterxml.jackson.databind.JsonNode;
import org.planetarymesh.core.protocol.Message;

/** How an attempt ended. */
public sealed interface Outcome {

    /** Succeeded with {@code result}, run by {@code executor} chosen by {@code routeRule}. */
    record Done(JsonNode result, Message.Tokens tokens, long durationMs, String executor, String routeRule)
            implements Outcome {}

    /** Failed with a stable {@code code} ({@code timeout}, {@code cancelled}, {@code executor_error}, ...). */
    record Failed(String code, String message, boolean retryable, long durationMs) implements Outcome {}
}
