package org.planetarymesh.agent.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.executor.ExecutorException;

/**
 * An {@code inference} job's payload, an OpenAI chat request ({@code model}, {@code messages}, {@code max_tokens},
 * {@code temperature}, ...), checked and turned into the request a backend gets: always streamed, with
 * {@code max_tokens} bounded by the agent's limit, and for Ollama translated to {@code /api/chat}'s shape.
 */
final class ChatPayload {
    /** Sampling settings Ollama takes under {@code options}, by their OpenAI name → Ollama name. */
    private static final List<String[]> OLLAMA_OPTIONS = List.of(
            new String[] {"temperature", "temperature"},
            new String[] {"top_p", "top_p"},
            new String[] {"seed", "seed"},
            new String[] {"presence_penalty", "presence_penalty"},
            new String[] {"frequency_penalty", "frequency_penalty"});

    private ChatPayload() {}

    /**
     * The model the payload names, after checking the fields the relay relies on.
     *
     * @throws ExecutorException {@code invalid_payload} naming the field and what to fix
     */
    static String check(JsonNode payload) throws ExecutorException {
        if (payload == null || !payload.isObject()) {
            throw ExecutorException.invalidPayload(
                    "inference needs an OpenAI chat request: {\"model\": \"...\", \"messages\": [{\"role\": \"user\","
                            + " \"content\": \"...\"}]}");
        }
        JsonNode model = payload.get("model");
        if (model == null || !model.isTextual() || model.asText().isBlank()) {
            throw ExecutorException.invalidPayload("inference: model must be the id of a model, e.g. \"llama3.2\"");
        }
        JsonNode messages = payload.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw ExecutorException.invalidPayload(
                    "inference: messages must be a non-empty array of {\"role\", \"content\"}");
        }
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            if (!message.isObject() || !message.path("role").isTextual()) {
                throw ExecutorException.invalidPayload(
                        "inference: messages[" + i + "] must be an object with a string role");
            }
        }
        for (String field : List.of("max_tokens", "max_completion_tokens")) {
            JsonNode value = payload.get(field);
            if (value != null
                    && !value.isNull()
                    && (!value.canConvertToLong() || value.asLong() < 1 || !value.isIntegralNumber())) {
                throw ExecutorException.invalidPayload("inference: " + field + " must be a whole number of 1 or more");
            }
        }
        JsonNode n = payload.get("n");
        if (n != null && !n.isNull() && n.asInt(0) != 1) {
            throw ExecutorException.invalidPayload("inference: n must be 1 (one choice per job)");
        }
        return model.asText();
    }

    /** How many tokens the job may generate: what it asks, at most {@code bound}; {@code bound} if it asks nothing. */
    static int boundedMaxTokens(JsonNode payload, int bound) {
        long asked = Long.MAX_VALUE;
        for (String field : List.of("max_completion_tokens", "max_tokens")) {
            JsonNode value = payload.get(field);
            if (value != null && value.canConvertToLong()) {
                asked = Math.min(asked, value.asLong());
            }
        }
        return (int) Math.min(asked, bound);
    }

    /** The request body for {@code backend}: streaming, bounded, in its format. */
    static ObjectNode body(JsonNode payload, WireFormat format, int maxTokens) {
        return format == WireFormat.OPENAI ? openAi(payload, maxTokens) : ollama(payload, maxTokens);
    }

    private static ObjectNode openAi(JsonNode payload, int maxTokens) {
        ObjectNode body = ((ObjectNode) payload).deepCopy();
        body.put("stream", true);
        JsonNode options = body.get("stream_options");
        (options instanceof ObjectNode o ? o : body.putObject("stream_options")).put("include_usage", true);
        if (body.has("max_completion_tokens")) {
            body.put("max_completion_tokens", maxTokens);
        }
        if (body.has("max_tokens") || !body.has("max_completion_tokens")) {
            body.put("max_tokens", maxTokens);
        }
        return body;
    }

    private static ObjectNode ollama(JsonNode payload, int maxTokens) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("model", payload.get("model").asText());
        ArrayNode messages = body.putArray("messages");
        for (JsonNode message : payload.get("messages")) {
            messages.addObject()
                    .put("role", message.path("role").asText())
                    .put("content", text(message.get("content")));
        }
        body.put("stream", true);
        ObjectNode options = body.putObject("options");
        options.put("num_predict", maxTokens);
        for (String[] names : OLLAMA_OPTIONS) {
            JsonNode value = payload.get(names[0]);
            if (value != null && value.isNumber()) {
                options.set(names[1], value);
            }
        }
        JsonNode stop = payload.get("stop");
        if (stop != null && (stop.isTextual() || stop.isArray())) {
            options.set(
                    "stop",
                    stop.isArray() ? stop : Json.mapper().createArrayNode().add(stop.asText()));
        }
        return body;
    }

    /** A message's text: a string, or the text parts of an array of content parts joined. */
    private static String text(JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                if ("text".equals(part.path("type").asText())) {
                    text.append(part.path("text").asText(""));
                }
            }
            return text.toString();
        }
        return content.asText();
    }
}
