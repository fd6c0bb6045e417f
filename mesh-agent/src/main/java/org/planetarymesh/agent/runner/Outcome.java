package org.planetarymesh.agent.runner;

import com.fasterxml.jackson.databind.JsonNode;
import org.planetarymesh.core.job.ErrorCode;
import org.planetarymesh.executor.Usage;

/** How an attempt ended. */
public sealed interface Outcome {

    /** Succeeded with {@code result} and {@code usage}, run by {@code executor} chosen by {@code routeRule}. */
    record Done(JsonNode result, Usage usage, long durationMs, String executor, String routeRule) implements Outcome {}

    /**
     * Failed with {@code code} ({@code timeout}, {@code cancelled}, {@code executor_error}, ...), after
     * emitting {@code tokensEmitted} tokens.
     */
    record Failed(ErrorCode code, String message, boolean retryable, long durationMs, long tokensEmitted)
            implements Outcome {}
}
