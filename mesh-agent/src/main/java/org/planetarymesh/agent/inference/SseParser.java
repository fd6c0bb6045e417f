package org.planetarymesh.agent.inference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Consumer;
import org.planetarymesh.core.json.Json;

/**
 * OpenAI's streaming format: server-sent events whose {@code data} is a {@code chat.completion.chunk} (text in
 * {@code choices[0].delta.content}, then {@code finish_reason}; with {@code stream_options.include_usage} a last chunk
 * with {@code usage} and no choices), ending with {@code data: [DONE]}. Lines starting with {@code :} are comments
 * (keep-alives). An error arrives as an event with an {@code error} key, or from llama.cpp as a bare
 * {@code error: {...}} line.
 */
final class SseParser implements StreamParser {
    private final StringBuilder data = new StringBuilder();
    private boolean pending;

    @Override
    public void line(String line, Consumer<StreamEvent> events) {
        if (line.isEmpty()) {
            dispatch(events);
        } else if (line.startsWith(":")) {
            // A comment: keep-alive.
        } else if (line.startsWith("data:")) {
            if (pending) {
                data.append('\n');
            }
            data.append(field(line, 5));
            pending = true;
        } else if (line.startsWith("error:")) {
            events.accept(new StreamEvent.Failed(errorMessage(parse(field(line, 6)))));
        }
        // Other fields (event:, id:, retry:) carry nothing a chat needs.
    }

    @Override
    public void end(Consumer<StreamEvent> events) {
        dispatch(events);
    }

    private static String field(String line, int nameLength) {
        String value = line.substring(nameLength);
        return value.startsWith(" ") ? value.substring(1) : value;
    }

    private void dispatch(Consumer<StreamEvent> events) {
        if (!pending) {
            return;
        }
        String payload = data.toString();
        data.setLength(0);
        pending = false;
        if (payload.strip().equals("[DONE]")) {
            events.accept(new StreamEvent.End());
            return;
        }
        JsonNode chunk = parse(payload);
        if (chunk.has("error")) {
            events.accept(new StreamEvent.Failed(errorMessage(chunk)));
            return;
        }
        JsonNode choice = chunk.path("choices").path(0);
        String text = choice.path("delta").path("content").asText("");
        if (!text.isEmpty()) {
            events.accept(new StreamEvent.Content(text));
        }
        JsonNode finish = choice.path("finish_reason");
        if (finish.isTextual()) {
            events.accept(new StreamEvent.Finished(finish.asText()));
        }
        JsonNode usage = chunk.path("usage");
        if (usage.isObject()) {
            events.accept(new StreamEvent.Tokens(
                    usage.path("prompt_tokens").asLong(0),
                    usage.path("completion_tokens").asLong(0)));
        }
    }

    static String errorMessage(JsonNode body) {
        JsonNode error = body.path("error");
        if (error.isTextual()) {
            return error.asText();
        }
        String message = error.path("message").asText("");
        return message.isEmpty() ? body.toString() : message;
    }

    private static JsonNode parse(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new MalformedStreamException("an event of the backend's stream is not JSON: " + abbreviate(json), e);
        }
    }

    static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
