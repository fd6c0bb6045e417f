package org.planetarymesh.agent.inference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Consumer;
import org.planetarymesh.core.json.Json;

/**
 * Ollama's streaming format ({@code /api/chat}): one JSON object per line, the text in {@code message.content}; the
 * last has {@code done: true}, {@code done_reason}, {@code prompt_eval_count} and {@code eval_count}. An error is an
 * object with an {@code error} key.
 */
final class NdjsonParser implements StreamParser {

    @Override
    public void line(String line, Consumer<StreamEvent> events) {
        if (line.isBlank()) {
            return;
        }
        JsonNode object;
        try {
            object = Json.mapper().readTree(line);
        } catch (JsonProcessingException e) {
            throw new MalformedStreamException(
                    "a line of the backend's stream is not JSON: " + SseParser.abbreviate(line), e);
        }
        if (object.has("error")) {
            events.accept(new StreamEvent.Failed(SseParser.errorMessage(object)));
            return;
        }
        String text = object.path("message").path("content").asText("");
        if (!text.isEmpty()) {
            events.accept(new StreamEvent.Content(text));
        }
        if (object.path("done").asBoolean(false)) {
            events.accept(new StreamEvent.Tokens(
                    object.path("prompt_eval_count").asLong(0),
                    object.path("eval_count").asLong(0)));
            events.accept(new StreamEvent.Finished(object.path("done_reason").asText("stop")));
            events.accept(new StreamEvent.End());
        }
    }

    @Override
    public void end(Consumer<StreamEvent> events) {
        // Nothing is held between lines.
    }
}
