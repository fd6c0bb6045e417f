package org.planetarymesh.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.planetarymesh.core.job.JobEvent;
import org.planetarymesh.core.json.Json;

/**
 * A job's events, read live from {@code GET /v1/jobs/{id}/events}: an iterator that blocks until the next event
 * arrives and ends after the {@code end} event. Close it (try-with-resources) to drop the connection early; closing from
 * another thread wakes up a blocked {@link #hasNext()}, which then returns false.
 *
 * <p>If the connection breaks before {@code end}, {@link #hasNext()} throws {@link MeshUnavailableException};
 * {@link #lastSeq()} tells where to resume with {@link MeshClient#events(String, long)}.
 */
public final class JobEventStream implements Iterator<JobEvent>, AutoCloseable {

    /** Characters read after {@code end} at most while waiting for the response to finish. */
    private static final int RELEASE_READ_LIMIT = 64 * 1024;
    /** How long the response may stay open after {@code end} before the connection is dropped. */
    private static final Duration RELEASE_WAIT = Duration.ofSeconds(5);

    private final String jobId;
    private final InputStream body;
    private final ScheduledExecutorService timers;
    private final SseReader reader;
    private JobEvent next;
    private long lastSeq;
    private volatile boolean closed;
    private boolean ended;

    JobEventStream(String jobId, InputStream body, long afterSeq, ScheduledExecutorService timers) {
        this.jobId = jobId;
        this.timers = timers;
        this.body = body;
        this.reader = new SseReader(body);
        this.lastSeq = afterSeq;
    }

    @Override
    public boolean hasNext() {
        if (next != null) {
            return true;
        }
        if (ended || closed) {
            return false;
        }
        try {
            SseEvent raw;
            while ((raw = reader.next()) != null) {
                JobEvent event = parse(raw);
                if (event != null) {
                    lastSeq = Math.max(lastSeq, event.seq());
                    ended = event.kind() == JobEvent.Kind.END;
                    next = event;
                    if (ended) {
                        releaseConnection();
                    }
                    return true;
                }
            }
            closeQuietly();
            if (!closed) {
                throw new MeshUnavailableException(
                        "stream_ended",
                        0,
                        "the event stream of job " + jobId + " ended before the job did",
                        null,
                        null);
            }
            return false;
        } catch (IOException e) {
            if (closed) {
                return false;
            }
            closeQuietly();
            throw new MeshUnavailableException(
                    "stream_broken", 0, "the event stream of job " + jobId + " broke: " + e.getMessage(), null, e);
        }
    }

    @Override
    public JobEvent next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more events for job " + jobId);
        }
        JobEvent out = next;
        next = null;
        return out;
    }

    /** The remaining events as a sequential stream; closing the stream closes the connection. */
    public Stream<JobEvent> stream() {
        return StreamSupport.stream(
                        Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED | Spliterator.NONNULL), false)
                .onClose(this::close);
    }

    /** The highest event {@code seq} seen so far (or the one resumed after). */
    public long lastSeq() {
        return lastSeq;
    }

    /** Whether the {@code end} event has been read. */
    public boolean ended() {
        return ended;
    }

    /** Drops the connection, unless {@code end} was read: then it is already being handed back for reuse. */
    @Override
    public void close() {
        closed = true;
        if (!ended) {
            closeQuietly();
        }
    }

    /**
     * After {@code end} the server finishes the response. Reading to that finish, rather than closing mid-body, lets
     * the HTTP client keep the connection for the next request (an await per job would otherwise cost a TCP connection
     * each). Done off the caller's thread; closed whatever happens, and after {@link #RELEASE_WAIT} at the latest.
     */
    private void releaseConnection() {
        ScheduledFuture<?> guard;
        try {
            guard = timers.schedule(this::closeQuietly, RELEASE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            closeQuietly(); // the client is closing
            return;
        }
        Thread.ofVirtual().name("mesh-sse-release").start(() -> {
            try {
                reader.skipToEnd(RELEASE_READ_LIMIT);
            } catch (IOException e) {
                // Closed below either way.
            } finally {
                guard.cancel(false);
                closeQuietly();
            }
        });
    }

    private void closeQuietly() {
        try {
            body.close();
        } catch (IOException e) {
            // Nothing to do: the connection is being abandoned either way.
        }
    }

    private JobEvent parse(SseEvent raw) throws IOException {
        if (raw.data().isBlank()) {
            return null;
        }
        try {
            JobEvent event = Json.mapper().readValue(raw.data(), JobEvent.class);
            if (event.kind() == null) {
                JobEvent.Kind kind = kindOf(raw.event());
                return kind == null ? null : withKind(event, kind);
            }
            return event;
        } catch (JsonProcessingException e) {
            if (kindOf(raw.event()) == null) {
                return null; // an event this client does not know, e.g. a keep-alive: skip it
            }
            throw new IOException("unreadable " + raw.event() + " event: " + e.getOriginalMessage(), e);
        }
    }

    private static JobEvent.Kind kindOf(String sseName) {
        for (JobEvent.Kind kind : JobEvent.Kind.values()) {
            if (kind.sseName().equals(sseName)) {
                return kind;
            }
        }
        return null;
    }

    private static JobEvent withKind(JobEvent e, JobEvent.Kind kind) {
        return new JobEvent(
                e.jobId(),
                e.seq(),
                kind,
                e.at(),
                e.attempt(),
                e.status(),
                e.progress(),
                e.log(),
                e.chunkSeq(),
                e.data(),
                e.stream(),
                e.error(),
                e.result());
    }
}
