package org.planetarymesh.coordinator.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An OpenAI chat completion request as the gateway checks it: the fields it relies on must have their documented
 * types, everything else goes to the backend as sent. The whole body is the inference job's payload.
 *
 * @param body the request as sent, the job's payload
 * @param model the model asked for
 * @param stream whether the answer is a stream of {@code chat.completion.chunk} events
 * @param includeUsage whether a stream ends with a usage chunk ({@code stream_options.include_usage})
 */
record ChatRequest(ObjectNode body, String model, boolean stream, boolean includeUsage) {

    /** The request in {@code body}, or a 400 naming the field at fault (OpenAI's {@code param}). */
    static ChatRequest parse(JsonNode body) {
        if (!(body instanceof ObjectNode object)) {
            throw OpenAiError.invalid(null, "the body must be a JSON object, a chat completion request");
        }
        JsonNode model = object.get("model");
        if (model == null || !model.isTextual() || model.asText().isBlank()) {
            throw OpenAiError.invalid("model", "model is required: the id of a model GET /v1/models lists");
        }
        checkMessages(object.get("messages"));
        boolean stream = optionalBoolean(object, "stream", "stream");
        boolean includeUsage = false;
        JsonNode options = object.get("stream_options");
        if (options != null && !options.isNull()) {
            if (!options.isObject()) {
                throw OpenAiError.invalid("stream_options", "stream_options must be an object");
            }
            if (!stream) {
                throw OpenAiError.invalid("stream_options", "stream_options is only allowed with stream: true");
            }
            includeUsage = optionalBoolean(options, "include_usage", "stream_options.include_usage");
        }
        positiveInteger(object, "max_tokens");
        positiveInteger(object, "max_completion_tokens");
        JsonNode n = object.get("n");
        if (n != null && !n.isNull() && !(n.canConvertToInt() && n.isIntegralNumber() && n.asInt() == 1)) {
            throw OpenAiError.invalid("n", "n must be 1: the mesh answers with one choice per request");
        }
        return new ChatRequest(object, model.asText(), stream, includeUsage);
    }

    private static void checkMessages(JsonNode messages) {
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw OpenAiError.invalid(
                    "messages", "messages is required: a non-empty array of {\"role\", \"content\"} objects");
        }
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            JsonNode role = message.get("role");
            if (!message.isObject() || role == null || !role.isTextual()) {
                throw OpenAiError.invalid(
                        "messages[" + i + "].role",
                        "messages[" + i + "] must be an object with a string role (system, user, assistant, tool)");
            }
        }
    }

    private static boolean optionalBoolean(JsonNode object, String field, String param) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw OpenAiError.invalid(param, param + " must be true or false");
        }
        return value.booleanValue();
    }

    private static void positiveInteger(JsonNode object, String field) {
        JsonNode value = object.get(field);
        if (value != null
                && !value.isNull()
                && !(value.isIntegralNumber() && value.canConvertToInt() && value.asInt() > 0)) {
            throw OpenAiError.invalid(field, field + " must be a positive integer");
        }
    }
}
