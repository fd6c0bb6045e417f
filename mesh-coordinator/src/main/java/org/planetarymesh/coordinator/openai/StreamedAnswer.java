package org.planetarymesh.coordinator.openai;

import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.function.Consumer;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobEvent;
import org.planetarymesh.core.job.JobStatus;

/**
 * A streamed chat answer ({@code "stream": true}): waits briefly for the job's first output, so that a job that fails
 * at once (backend down, model gone) is answered with its HTTP status; then writes OpenAI's server-sent events as the
 * text arrives, each batch of deltas in one flush, and ends with the finish reason, the usage chunk if asked for and
 * {@code data: [DONE]}. A failure after the stream began is an {@code error} event. A write that finds the client gone
 * cancels the job, which closes the backend's request on the agent.
 */
final class StreamedAnswer {

    /** How long the status line waits for the job's first output or end. */
    static final long HEADERS_WAIT_MILLIS = 1_000;

    /** How long the stream stays silent before a comment checks that the client is still there. */
    static final long KEEP_ALIVE_MILLIS = 5_000;

    private final Context ctx;
    private final ChatRequest request;
    private final Job job;
    private final ChatRelay relay;
    private final Consumer<String> cancel;

    StreamedAnswer(Context ctx, ChatRequest request, Job job, ChatRelay relay, Consumer<String> cancel) {
        this.ctx = ctx;
        this.request = request;
        this.job = job;
        this.relay = relay;
        this.cancel = cancel;
    }

    void run() throws InterruptedException {
        ChatRelay.Event event = relay.next(HEADERS_WAIT_MILLIS);
        if (event instanceof ChatRelay.Event.Ended ended && ended.end().status() != JobStatus.COMPLETED) {
            throw OpenAiError.forEnded(
                    job.id(), ended.end().status(), ended.end().error());
        }
        if (event instanceof ChatRelay.Event.Failed failed) {
            cancel.accept(job.id());
            throw failed.why();
        }
        try {
            ChunkWriter writer = new ChunkWriter(
                    open(ctx.res()), "chatcmpl-" + job.id(), job.createdAt().getEpochSecond(), request.model());
            writer.role();
            follow(writer, event);
        } catch (IOException e) {
            // The client went away: stop the job, so the backend stops generating for nobody.
            cancel.accept(job.id());
        }
    }

    /** Writes events until the job ends; {@code event} is the first, or null if none came yet. */
    private void follow(ChunkWriter writer, ChatRelay.Event event) throws IOException, InterruptedException {
        while (true) {
            switch (event) {
                case null -> writer.keepAlive();
                case ChatRelay.Event.Delta delta -> {
                    writer.delta(delta.text());
                    // Whatever else is already waiting leaves in the same flush.
                    event = relay.poll();
                    if (event != null) {
                        continue;
                    }
                    writer.flush();
                }
                case ChatRelay.Event.Ended ended -> {
                    end(writer, ended.end());
                    return;
                }
                case ChatRelay.Event.Failed failed -> {
                    cancel.accept(job.id());
                    writer.error(OpenAiError.body(failed.why()));
                    writer.flush();
                    return;
                }
            }
            event = relay.next(KEEP_ALIVE_MILLIS);
        }
    }

    private void end(ChunkWriter writer, JobEvent end) throws IOException {
        if (end.status() != JobStatus.COMPLETED) {
            writer.error(OpenAiError.body(OpenAiError.forEnded(job.id(), end.status(), end.error())));
            writer.flush();
            return;
        }
        writer.finish(ChatCompletions.finishReason(end.result()));
        if (request.includeUsage()) {
            writer.usage(WholeAnswer.usageOrZero(end.result()));
        }
        writer.done();
        writer.flush();
    }

    private static java.io.OutputStream open(HttpServletResponse res) throws IOException {
        res.setStatus(200);
        res.setContentType("text/event-stream");
        res.setCharacterEncoding("UTF-8");
        res.setHeader("Cache-Control", "no-cache");
        res.setHeader("X-Accel-Buffering", "no");
        return res.getOutputStream();
    }
}
