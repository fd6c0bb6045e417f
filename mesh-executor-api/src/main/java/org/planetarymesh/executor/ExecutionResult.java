package org.planetarymesh.executor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

/**
 * What a successful execution returns: its JSON result, stored as the job's {@code result}. Token counts and the
 * duration are reported through {@link ExecutionContext#usage}, so a failed attempt can report them too.
 */
public record ExecutionResult(JsonNode value) {
    public ExecutionResult {
        value = value == null ? NullNode.getInstance() : value;
    }

    /** A result holding {@code value}. */
    public static ExecutionResult of(JsonNode value) {
        return new ExecutionResult(value);
    }
}
