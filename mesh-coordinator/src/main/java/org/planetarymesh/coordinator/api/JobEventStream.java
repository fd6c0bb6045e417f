package org.planetarymesh.coordinator.api;

import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.planetarymesh.coordinator.events.JobEventHub;
import org.planetarymesh.core.job.JobEvent;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.store.JobStore;

/**
 * {@code GET /v1/jobs/{id}/events}: replays a job's stored events, then follows live ones until its {@code end}
 * event. It subscribes before replaying and skips live events it already replayed, so nothing falls in the gap.
 * A subscriber that cannot keep up (its buffer is full) is disconnected rather than allowed to grow memory; it can
 * reconnect with {@code Last-Event-ID} and resume.
 *
 * <p>Written here rather than with Javalin's SSE helper, which sends {@code Connection: close} and serves only
 * requests that accept {@code text/event-stream}: this stream ends after {@code end}, so the response simply finishes
 * and the connection stays open for the client's next request (an await per job would otherwise cost a TCP
 * connection each).
 */
final class JobEventStream {

    /** How long a stream stays silent before a comment line checks that the client is still there. */
    static final long KEEP_ALIVE_SECONDS = 15;

    private static final byte[] EVENT_END = {'\n', '\n'};

    private final JobStore store;
    private final JobEventHub hub;
    private final int maxSubscribersPerJob;

    JobEventStream(JobStore store, JobEventHub hub, int maxSubscribersPerJob) {
        this.store = store;
        this.hub = hub;
        this.maxSubscribersPerJob = maxSubscribersPerJob;
    }

    /** Checked before the stream opens, so the client gets a 429 rather than an empty stream. */
    void checkCapacity(String jobId) {
        if (hub.subscriberCount(jobId) >= maxSubscribersPerJob) {
            throw new ApiException(
                    429,
                    "too_many_subscribers",
                    "job " + jobId + " already has " + maxSubscribersPerJob
                            + " event streams open; close one or poll GET /v1/jobs/" + jobId);
        }
    }

    void stream(Context ctx) throws IOException {
        String jobId = ctx.pathParam("id");
        long last = lastEventId(ctx.header("Last-Event-ID"));
        boolean follow = !"false".equalsIgnoreCase(ctx.queryParam("follow"));
        StreamBuffer<JobEvent> live = new StreamBuffer<>();
        OutputStream out = open(ctx.res());
        try (AutoCloseable ignored = hub.subscribe(jobId, event -> live.offer(event, StreamBuffer.sizeOf(event)))) {
            // The replay leaves in one flush, and a stream that ends leaves with the response's end: a finished
            // job's events are one write for the client, not one each.
            // A retried job has an end for each time it finished: only the last one stored ends the replay.
            List<JobEvent> stored = store.events(jobId, last);
            for (JobEvent event : stored) {
                send(out, event);
                last = event.seq();
                if (event.kind() == JobEvent.Kind.END && event == stored.getLast()) {
                    return;
                }
            }
            out.flush();
            // Ends at the end event, on overflow, or when a write finds the client gone (at the latest at the next
            // keep-alive).
            while (follow && !live.overflowed()) {
                JobEvent event = live.poll(KEEP_ALIVE_SECONDS);
                if (event == null) {
                    keepAlive(out);
                    continue;
                }
                if (event.seq() <= last) {
                    continue;
                }
                send(out, event);
                last = event.seq();
                if (event.kind() == JobEvent.Kind.END) {
                    return;
                }
                out.flush();
            }
            if (live.overflowed()) {
                endSlowReader(out, live, "reconnect with Last-Event-ID " + last + " to resume");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // the client went away mid-write; nothing to clean beyond the subscription
        } finally {
            live.close();
        }
    }

    /**
     * Ends a stream whose reader fell behind with a comment line saying so (every SSE reader skips comments), so the
     * end is not mistaken for a lost connection; the response then finishes.
     */
    static void endSlowReader(OutputStream out, StreamBuffer<?> buffer, String resume) throws IOException {
        write(out, ": closed: this reader is too slow (" + buffer.overflowReason() + "); " + resume + "\n\n");
        out.flush();
    }

    /** Sets the headers; they leave with the replay, which every known job has (at least its {@code queued}). */
    static OutputStream open(HttpServletResponse res) throws IOException {
        res.setStatus(200);
        res.setContentType("text/event-stream");
        res.setCharacterEncoding("UTF-8");
        res.setHeader("Cache-Control", "no-cache");
        res.setHeader("X-Accel-Buffering", "no"); // proxies such as nginx must pass events on as they come
        return res.getOutputStream();
    }

    /** Writes one event; the caller flushes. */
    private static void send(OutputStream out, JobEvent event) throws IOException {
        // Jackson writes JSON on one line (newlines inside strings are escaped), as an SSE data line requires.
        write(out, "id: " + event.seq() + "\nevent: " + event.kind().sseName() + "\ndata: ");
        writeData(out, event);
    }

    /**
     * Writes {@code data}'s JSON and the blank line that ends an event. As bytes: the stream's writes land in Jetty's
     * buffer, so the JSON need not become a string and then bytes again on its way there.
     */
    static void writeData(OutputStream out, Object data) throws IOException {
        out.write(Json.mapper().writeValueAsBytes(data));
        out.write(EVENT_END);
    }

    /** Writes and flushes a comment line: a write is how a stream learns its client has gone. */
    static void keepAlive(OutputStream out) throws IOException {
        write(out, ": keep-alive\n\n");
        out.flush();
    }

    static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }

    private static long lastEventId(String header) {
        if (header == null || header.isBlank()) {
            return -1;
        }
        try {
            return Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("Last-Event-ID must be the id of an event this stream sent (an integer)");
        }
    }
}
