package org.planetarymesh.coordinator.openai;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.planetarymesh.core.json.Json;

/**
 * Writes one chat's {@code chat.completion.chunk} events as OpenAI streams them: a first chunk with the assistant's
 * role, one per text delta, one with the finish reason, optionally one with usage and no choices, then
 * {@code data: [DONE]}. The part every chunk shares is encoded once, so a delta costs one string escape and a write.
 */
final class ChunkWriter {

    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DELTA_OPEN =
            "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DELTA_CLOSE =
            "\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

    private final OutputStream out;
    private final String id;
    private final long created;
    private final String model;
    /** {@code {"id":...,"object":"chat.completion.chunk","created":...,"model":...,} } up to the choices. */
    private final byte[] head;

    ChunkWriter(OutputStream out, String id, long created, String model) {
        this.out = out;
        this.id = id;
        this.created = created;
        this.model = model;
        String json = common().toString();
        this.head = (json.substring(0, json.length() - 1) + ",").getBytes(StandardCharsets.UTF_8);
    }

    private ObjectNode common() {
        ObjectNode chunk = Json.mapper().createObjectNode();
        chunk.put("id", id);
        chunk.put("object", "chat.completion.chunk");
        chunk.put("created", created);
        chunk.put("model", model);
        return chunk;
    }

    /** The first chunk: the assistant's role and no text yet. */
    void role() throws IOException {
        ObjectNode chunk = common();
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("delta").put("role", "assistant").put("content", "");
        choice.putNull("logprobs");
        choice.putNull("finish_reason");
        event(chunk);
    }

    /** A piece of the assistant's text. */
    void delta(String text) throws IOException {
        out.write(DATA);
        out.write(head);
        out.write(DELTA_OPEN);
        out.write(JsonStringEncoder.getInstance().quoteAsUTF8(text));
        out.write(DELTA_CLOSE);
    }

    /** The chunk that ends the choice, with why it ended ({@code stop}, {@code length}). */
    void finish(String reason) throws IOException {
        ObjectNode chunk = common();
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("delta");
        choice.putNull("logprobs");
        choice.put("finish_reason", reason);
        event(chunk);
    }

    /** The usage chunk of {@code stream_options.include_usage}: no choices, the token counts. */
    void usage(JsonNode usage) throws IOException {
        ObjectNode chunk = common();
        chunk.putArray("choices");
        chunk.set("usage", usage);
        event(chunk);
    }

    /** An error after the stream began: OpenAI's clients raise it from the {@code error} key of a data event. */
    void error(Object body) throws IOException {
        out.write(DATA);
        out.write(Json.mapper().writeValueAsBytes(body));
        out.write('\n');
        out.write('\n');
    }

    void done() throws IOException {
        out.write(DONE);
    }

    /** A comment line, which SSE readers skip: writing is how a stream learns its client has gone. */
    void keepAlive() throws IOException {
        out.write(": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    void flush() throws IOException {
        out.flush();
    }

    private void event(JsonNode chunk) throws IOException {
        out.write(DATA);
        out.write(Json.mapper().writeValueAsBytes(chunk));
        out.write('\n');
        out.write('\n');
    }
}
