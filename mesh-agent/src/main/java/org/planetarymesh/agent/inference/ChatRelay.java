package org.planetarymesh.agent.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.executor.ErrorCode;
import org.planetarymesh.executor.ExecutionContext;
import org.planetarymesh.executor.ExecutorException;

/**
 * One chat request relayed to one backend, always streamed: each piece of text goes out at once as a chunk on stream
 * {@code content}, token counts are kept current for the attempt, and the end becomes the job's result. Stopping the
 * attempt (cancel, deadline) aborts the request, which closes its connection, so the backend stops generating. How
 * a failure is reported: connection refused → {@code backend_unreachable}; the deadline or the agent's request
 * timeout → {@code backend_timeout}; 401/403 → {@code auth_rejected_by_backend}; the backend does not know the
 * model → {@code model_not_loaded}; 429 → {@code out_of_capacity}; anything else → {@code internal}.
 */
final class ChatRelay {
    static final String STREAM = "content";
    private static final int ERROR_BODY_LIMIT = 4096;

    private final HttpClient client;
    private final ScheduledExecutorService timer;
    private final Duration requestTimeout;
    private final long streamIntervalMillis;

    /** A relay whose text leaves at most once per {@code streamIntervalMillis} (0: each piece at once). */
    ChatRelay(HttpClient client, ScheduledExecutorService timer, Duration requestTimeout, long streamIntervalMillis) {
        this.client = client;
        this.timer = timer;
        this.requestTimeout = requestTimeout;
        this.streamIntervalMillis = streamIntervalMillis;
    }

    /** Relays {@code payload} to {@code backend}, bounded to {@code maxTokens}, and returns the job's result. */
    ObjectNode relay(Backend backend, JsonNode payload, int maxTokens, ExecutionContext context)
            throws ExecutorException {
        long startNanos = System.nanoTime();
        Instant limit = limit(Instant.now(), context.deadline());
        HttpRequest request = request(backend, ChatPayload.body(payload, backend.format(), maxTokens), limit);
        BackendCall call = new BackendCall(client.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream()));
        ScheduledFuture<?> watchdog = timer.schedule(
                call::timeOut,
                Math.max(0, Duration.between(Instant.now(), limit).toMillis()),
                TimeUnit.MILLISECONDS);
        context.onCancel(call::abort);
        Transcript transcript = new Transcript(
                payload.path("model").asText(), backend, context, startNanos, streamIntervalMillis, timer);
        try {
            HttpResponse<InputStream> response = call.response(limit);
            if (response.statusCode() != 200) {
                throw refused(backend, payload, response);
            }
            read(response.body(), backend.format().newParser(), transcript);
            return transcript.result();
        } catch (IOException | StreamParser.MalformedStreamException e) {
            transcript.flushQuietly();
            throw failed(call, backend, context, e);
        } catch (ExecutorException e) {
            // emit refuses once the attempt is being stopped; at the deadline that stop is the backend's timeout.
            if (e.code() == ErrorCode.CANCELLED && (call.timedOut.get() || deadlinePassed(context))) {
                throw timedOut(backend, context, e);
            }
            throw e;
        } finally {
            transcript.close();
            watchdog.cancel(false);
            call.abort();
        }
    }

    private Instant limit(Instant now, Instant deadline) {
        Instant own = now.plus(requestTimeout);
        return deadline != null && deadline.isBefore(own) ? deadline : own;
    }

    private static HttpRequest request(Backend backend, ObjectNode body, Instant limit) {
        HttpRequest.Builder request = HttpRequest.newBuilder(backend.chatUri())
                .timeout(positive(Duration.between(Instant.now(), limit)))
                .header("Content-Type", "application/json")
                .header("Accept", backend.format() == WireFormat.OPENAI ? "text/event-stream" : "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (backend.apiKey() != null) {
            request.header("Authorization", "Bearer " + backend.apiKey());
        }
        return request.build();
    }

    private static Duration positive(Duration d) {
        return d.isNegative() || d.isZero() ? Duration.ofMillis(1) : d;
    }

    private static void read(InputStream body, StreamParser parser, Transcript transcript)
            throws IOException, ExecutorException {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String line;
            while (!transcript.ended() && (line = lines.readLine()) != null) {
                parser.line(line, transcript);
                transcript.rethrow();
            }
            if (!transcript.ended()) {
                parser.end(transcript);
                transcript.rethrow();
            }
        }
        transcript.flush();
        transcript.requireEnd();
    }

    private static ExecutorException refused(Backend backend, JsonNode payload, HttpResponse<InputStream> response) {
        String detail = errorBody(response);
        int status = response.statusCode();
        String what = backend.label() + " answered " + status + ": " + detail;
        if (status == 401 || status == 403) {
            return new ExecutorException(
                    ErrorCode.AUTH_REJECTED_BY_BACKEND, what + " (check the inference api_key of this agent)", false);
        }
        if (status == 404 && detail.toLowerCase(java.util.Locale.ROOT).contains("model")) {
            return new ExecutorException(
                    ErrorCode.MODEL_NOT_LOADED,
                    backend.label() + " does not serve model '"
                            + payload.path("model").asText() + "': " + detail);
        }
        if (status == 429) {
            return new ExecutorException(ErrorCode.OUT_OF_CAPACITY, what);
        }
        if (status == 400 || status == 422) {
            return ExecutorException.invalidPayload(what);
        }
        if (status == 502 || status == 503 || status == 504) {
            return new ExecutorException(ErrorCode.BACKEND_UNREACHABLE, what);
        }
        return new ExecutorException(ErrorCode.INTERNAL, what);
    }

    private static String errorBody(HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            String text = new String(in.readNBytes(ERROR_BODY_LIMIT), StandardCharsets.UTF_8).strip();
            try {
                return SseParser.errorMessage(Json.mapper().readTree(text));
            } catch (IOException e) {
                return text.isEmpty() ? "(no body)" : SseParser.abbreviate(text);
            }
        } catch (IOException e) {
            return "(body unreadable: " + e.getMessage() + ")";
        }
    }

    private static ExecutorException failed(BackendCall call, Backend backend, ExecutionContext context, Exception e) {
        if (call.timedOut.get() || deadlinePassed(context)) {
            return timedOut(backend, context, e);
        }
        if (context.cancelled()) {
            return new ExecutorException(ErrorCode.CANCELLED, "the job was stopped", false, e);
        }
        if (e instanceof StreamParser.MalformedStreamException) {
            return new ExecutorException(ErrorCode.INTERNAL, backend.label() + ": " + e.getMessage(), true, e);
        }
        if (isUnreachable(e)) {
            return new NotConnected(
                    backend.label() + " is unreachable at " + backend.base() + ": " + describe(rootCause(e)), e);
        }
        if (e instanceof HttpTimeoutException) {
            return new ExecutorException(
                    ErrorCode.BACKEND_TIMEOUT, backend.label() + " did not answer in time", true, e);
        }
        return new ExecutorException(
                ErrorCode.BACKEND_UNREACHABLE,
                backend.label() + " broke off the stream: " + describe(rootCause(e)),
                true,
                e);
    }

    private static ExecutorException timedOut(Backend backend, ExecutionContext context, Exception cause) {
        return new ExecutorException(
                ErrorCode.BACKEND_TIMEOUT,
                backend.label() + " did not finish before "
                        + (deadlinePassed(context)
                                ? "the job's deadline " + context.deadline()
                                : "the agent's request timeout"),
                true,
                cause);
    }

    private static boolean isUnreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof HttpConnectTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static boolean deadlinePassed(ExecutionContext context) {
        // A few milliseconds of slack: the runner's deadline timer is scheduled in whole milliseconds.
        return context.deadline() != null && !Instant.now().plusMillis(5).isBefore(context.deadline());
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private static String describe(Throwable t) {
        return t.getMessage() == null
                ? t.getClass().getSimpleName()
                : t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    /** {@code backend_unreachable} before anything was sent: no connection could be made. */
    static final class NotConnected extends ExecutorException {
        NotConnected(String message, Throwable cause) {
            super(ErrorCode.BACKEND_UNREACHABLE, message, true, cause);
        }
    }
}
