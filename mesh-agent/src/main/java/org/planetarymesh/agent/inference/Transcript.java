package org.planetarymesh.agent.inference;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.executor.ErrorCode;
import org.planetarymesh.executor.ExecutionContext;
import org.planetarymesh.executor.ExecutorException;
import org.planetarymesh.executor.Usage;

/**
 * What the stream said so far: the text, the counts, how it ended; turns events into chunks as they come.
 *
 * <p>Text leaves in chunks at most once per {@code interval}: a piece that comes at least that long after the last
 * chunk (the first piece always) leaves at once; one that comes sooner waits with any others until the interval is
 * over, and the end of the stream sends what waits at once. A fast backend's tokens then cost the agent, the
 * coordinator and the client one frame, write and wake-up per interval instead of per token, on the machine that also
 * runs the model (docs/adr/0100). The reader thread and the timer that ends an interval both emit, so emitting is
 * synchronized.
 */
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
    private volatile ExecutorException failure;
    private final long intervalNanos;
    private final ScheduledExecutorService timer;
    private final StringBuilder waiting = new StringBuilder();
    private long lastEmitNanos;
    private boolean flushScheduled;
    private boolean closed;

    /**
     * A transcript of a request sent at {@code startNanos} ({@link System#nanoTime()}), the origin of its timings,
     * that emits at most once per {@code intervalMillis} (0: every piece at once), ending an interval on {@code timer}.
     */
    Transcript(
            String model,
            Backend backend,
            ExecutionContext context,
            long startNanos,
            long intervalMillis,
            ScheduledExecutorService timer) {
        this.startNanos = startNanos;
        this.model = model;
        this.backend = backend;
        this.context = context;
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
        this.timer = timer;
        this.lastEmitNanos = startNanos - intervalNanos;
    }

    @Override
    public void accept(StreamEvent event) {
        if (failure != null) {
            return;
        }
        try {
            switch (event) {
                case StreamEvent.Content c -> content(c.text());
                case StreamEvent.Finished f -> {
                    finishReason = f.reason();
                    flush();
                }
                case StreamEvent.Tokens t -> {
                    flush();
                    promptTokens = t.prompt();
                    completionTokens = t.completion();
                    context.usage(new Usage(promptTokens, completionTokens));
                }
                case StreamEvent.Failed f -> {
                    flush();
                    failure = new ExecutorException(
                            ErrorCode.INTERNAL, backend.label() + " reported an error mid-stream: " + f.message());
                }
                case StreamEvent.End e -> {
                    flush();
                    ended = true;
                }
            }
        } catch (ExecutorException e) {
            failure = e;
        }
    }

    private synchronized void content(String text) throws ExecutorException {
        long now = System.nanoTime();
        if (firstTokenNanos < 0) {
            firstTokenNanos = now;
        }
        pieces++;
        content.append(text);
        context.usage(new Usage(promptTokens, Math.max(pieces, completionTokens)));
        waiting.append(text);
        long due = lastEmitNanos + intervalNanos;
        if (now - due >= 0) {
            flush();
        } else if (!flushScheduled) {
            flushScheduled = true;
            timer.schedule(() -> Thread.startVirtualThread(this::flushAtIntervalEnd), due - now, TimeUnit.NANOSECONDS);
        }
    }

    /** Sends the text that waits, if any, as one chunk. */
    synchronized void flush() throws ExecutorException {
        if (waiting.isEmpty()) {
            return;
        }
        String text = waiting.toString();
        waiting.setLength(0);
        lastEmitNanos = System.nanoTime();
        context.emit(ChatRelay.STREAM, text);
    }

    /** Sends what waits when the stream has failed: the text the backend did send still reaches the job's output. */
    void flushQuietly() {
        try {
            flush();
        } catch (ExecutorException e) {
            // The attempt is being stopped; the failure that ends it is reported instead.
        }
    }

    /** No more text leaves: the request is over, and an interval that ends later has nothing to send. */
    synchronized void close() {
        closed = true;
    }

    private synchronized void flushAtIntervalEnd() {
        flushScheduled = false;
        if (closed || failure != null) {
            return;
        }
        try {
            flush();
        } catch (ExecutorException e) {
            failure = e; // the reader rethrows it after its next line
        }
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
