package org.planetarymesh.agent.inference;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.function.Consumer;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.executor.ErrorCode;
import org.planetarymesh.executor.ExecutionContext;
import org.planetarymesh.executor.ExecutorException;
import org.planetarymesh.executor.Usage;

/** What the stream said so far: the text, the counts, how it ended; turns events into chunks as they come. */
final class Transcript implements Consumer<StreamEvent> {
    private final String model;
    private final Backend backend;
    private final ExecutionContext context;
    private final StringBuilder content = new StringBuilder();
    private long firstTokenNanos = -1;
    private final long startNanos;
    private long pieces;
    private long promptTokens;
    private long completionTokens = -1;
    private String finishReason;
    private boolean ended;
    private ExecutorException failure;

    /** A transcript of a request sent at {@code startNanos} ({@link System#nanoTime()}), the origin of its timings. */
    Transcript(String model, Backend backend, ExecutionContext context, long startNanos) {
        this.startNanos = startNanos;
        this.model = model;
        this.backend = backend;
        this.context = context;
    }

    @Override
    public void accept(StreamEvent event) {
        if (failure != null) {
            return;
        }
        try {
            switch (event) {
                case StreamEvent.Content c -> content(c.text());
                case StreamEvent.Finished f -> finishReason = f.reason();
                case StreamEvent.Tokens t -> {
                    promptTokens = t.prompt();
                    completionTokens = t.completion();
                    context.usage(new Usage(promptTokens, completionTokens));
                }
                case StreamEvent.Failed f ->
                    failure = new ExecutorException(
                            ErrorCode.INTERNAL, backend.label() + " reported an error mid-stream: " + f.message());
                case StreamEvent.End e -> ended = true;
            }
        } catch (ExecutorException e) {
            failure = e;
        }
    }

    private void content(String text) throws ExecutorException {
        if (firstTokenNanos < 0) {
            firstTokenNanos = System.nanoTime();
        }
        pieces++;
        content.append(text);
        context.usage(new Usage(promptTokens, Math.max(pieces, completionTokens)));
        context.emit(ChatRelay.STREAM, text);
    }

    void rethrow() throws ExecutorException {
        if (failure != null) {
            throw failure;
        }
    }

    boolean ended() {
        return ended;
    }

    /** A stream may end without its marker only after saying why it finished. */
    void requireEnd() throws IOException {
        if (!ended && finishReason == null) {
            throw new IOException("the stream ended before its end marker");
        }
    }

    ObjectNode result() {
        long now = System.nanoTime();
        long completion = completionTokens >= 0 ? completionTokens : pieces;
        long durationMs = (now - startNanos) / 1_000_000;
        long ttftMs = firstTokenNanos < 0 ? durationMs : (firstTokenNanos - startNanos) / 1_000_000;
        double generating = firstTokenNanos < 0 ? 0 : (now - firstTokenNanos) / 1e9;
        double perSecond = generating > 0 ? completion / generating : 0;
        context.usage(new Usage(promptTokens, completion));
        ObjectNode result = Json.mapper().createObjectNode();
        result.put("model", model);
        result.put("content", content.toString());
        result.put("finish_reason", finishReason == null ? "stop" : finishReason);
        result.putObject("usage")
                .put("prompt_tokens", promptTokens)
                .put("completion_tokens", completion)
                .put("total_tokens", promptTokens + completion);
        result.put("ttft_ms", ttftMs);
        result.put("duration_ms", durationMs);
        result.put("tokens_per_second", Math.round(perSecond * 100) / 100.0);
        result.put("backend", backend.label());
        return result;
    }
}
