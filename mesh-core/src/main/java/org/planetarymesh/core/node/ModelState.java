package org.planetarymesh.core.node;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A model an agent can serve for {@code inference} jobs, as it advertises it in {@code hello} and heartbeats and as
 * {@code GET /v1/nodes} shows it.
 *
 * @param id the model id clients name in a chat request's {@code model}
 * @param loaded whether the backend has it in memory now (warm); a model the backend would first load is {@code false}
 * @param backend which backend serves it, e.g. {@code llama.cpp@127.0.0.1:8080} or {@code ollama@127.0.0.1:11434}
 */
public record ModelState(@JsonProperty(required = true) String id, boolean loaded, String backend) {}
