package org.planetarymesh.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobIds;
import org.planetarymesh.core.json.Json;

/**
 * A client's one {@code GET /v1/events} stream, which brings every job as it ended: {@link MeshClient#await} waits on
 * it instead of opening a stream per job. Opened by the first await that wants it; closed when nobody has waited for
 * {@link #IDLE}. When it cannot be opened (an older coordinator, a proxy) or breaks, awaits follow their job alone.
 *
 * <p>The stream's {@code ready} frame names the newest job id at the moment it subscribed; every job with a later id
 * ends on the stream, so an await on such a job needs no request at all. For earlier jobs the await reads the job once
 * after it started watching, which catches an end the stream could not have seen.
 */
final class EndedJobsStream implements AutoCloseable {

    /** Ends nobody waited for yet, kept for an await that comes a moment later (a job can end before its await). */
    private static final int UNCLAIMED = 1_024;
    /** How long after a failed open awaits follow their jobs alone before the stream is tried again. */
    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);
    /** How long the stream stays open with nobody waiting. */
    static final Duration IDLE = Duration.ofSeconds(30);

    /**
     * What an await holds: the future its job's end completes (cancelled if the stream is lost first), and
     * whether the stream is sure to bring that end (else the caller must check whether the job already ended).
     */
    record Watch(String jobId, CompletableFuture<Job> ended, boolean covered) {}

    /** One open stream and the id it covers the jobs after. */
    private record Connection(InputStream body, String coversAfter) {}

    private final Supplier<InputStream> opener;
    private final ScheduledExecutorService timers;
    private final Duration openTimeout;
    private final Object lock = new Object();
    private final Map<String, List<CompletableFuture<Job>>> waiting = new HashMap<>();
    private final Map<String, Job> unclaimed = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Job> eldest) {
            if (size() > UNCLAIMED) {
                evicted = true;
                return true;
            }
            return false;
        }
    };
    private boolean evicted;
    private Connection connection;
    private long retryAtNanos;
    private long lastUseNanos;
    private ScheduledFuture<?> idleCheck;

    /** {@code opener} answers the stream's body once it got a 200, or throws {@link MeshClientException}. */
    EndedJobsStream(Supplier<InputStream> opener, ScheduledExecutorService timers, Duration openTimeout) {
        this.opener = opener;
        this.timers = timers;
        this.openTimeout = openTimeout;
    }

    /** A watch on {@code jobId}'s end; null when the stream cannot be had now. Release it with {@link #forget}. */
    Watch watch(String jobId) {
        // Opening under the lock: concurrent first awaits wait for one stream rather than each opening their own.
        synchronized (lock) {
            if (connection == null && !open()) {
                return null;
            }
            lastUseNanos = System.nanoTime();
            Job done = unclaimed.remove(jobId);
            if (done != null) {
                return new Watch(jobId, CompletableFuture.completedFuture(done), true);
            }
            CompletableFuture<Job> ended = new CompletableFuture<>();
            waiting.computeIfAbsent(jobId, id -> new ArrayList<>(1)).add(ended);
            boolean covered = !evicted && JobIds.isValid(jobId) && jobId.compareTo(connection.coversAfter()) > 0;
            return new Watch(jobId, ended, covered);
        }
    }

    /** Stops watching; the await has its answer or gave up. */
    void forget(Watch watch) {
        synchronized (lock) {
            List<CompletableFuture<Job>> futures = waiting.get(watch.jobId());
            if (futures != null && futures.remove(watch.ended()) && futures.isEmpty()) {
                waiting.remove(watch.jobId());
            }
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (connection != null) {
                closeQuietly(connection.body());
            }
        }
    }

    private boolean open() {
        if (System.nanoTime() < retryAtNanos) {
            return false;
        }
        InputStream body = null;
        try {
            body = opener.get();
            InputStream opened = body;
            SseReader reader = new SseReader(body);
            // The ready frame leaves with the response's headers; a server that sends nothing is cut off.
            ScheduledFuture<?> alarm =
                    timers.schedule(() -> closeQuietly(opened), openTimeout.toMillis(), TimeUnit.MILLISECONDS);
            SseEvent ready;
            try {
                ready = reader.next();
            } finally {
                alarm.cancel(false);
            }
            String coversAfter = ready == null || !ready.event().equals("ready")
                    ? null
                    : coversAfter(Json.mapper().readTree(ready.data()));
            if (coversAfter == null) {
                throw new IOException("the mesh event stream did not start with a ready frame");
            }
            Connection opening = new Connection(body, coversAfter);
            connection = opening;
            evicted = false; // an end evicted before this subscription is of a job it does not cover
            Thread.ofVirtual().name("mesh-client-ended-jobs").start(() -> read(opening, reader));
            if (idleCheck == null) {
                idleCheck = timers.scheduleWithFixedDelay(
                        this::closeIfIdle, IDLE.toMillis(), IDLE.toMillis(), TimeUnit.MILLISECONDS);
            }
            return true;
        } catch (MeshClientException | IOException e) {
            if (body != null) {
                closeQuietly(body);
            }
            retryAtNanos = System.nanoTime() + RETRY_AFTER.toNanos();
            return false;
        }
    }

    private static String coversAfter(JsonNode ready) {
        String id = ready.path("covers_jobs_after").asText(null);
        return JobIds.isValid(id) ? id : null;
    }

    private void read(Connection from, SseReader reader) {
        try {
            SseEvent raw;
            while ((raw = reader.next()) != null) {
                if (raw.event().equals("end")) {
                    ended(Json.mapper().readValue(raw.data(), Job.class));
                }
            }
        } catch (IOException e) {
            // Broken, closed or unreadable: the watches carry on without the stream either way.
        } finally {
            lost(from);
        }
    }

    private void ended(Job job) {
        List<CompletableFuture<Job>> futures;
        synchronized (lock) {
            futures = waiting.remove(job.id());
            if (futures == null) {
                unclaimed.put(job.id(), job);
                return;
            }
        }
        futures.forEach(f -> f.complete(job));
    }

    private void lost(Connection from) {
        List<CompletableFuture<Job>> orphaned = new ArrayList<>();
        synchronized (lock) {
            if (connection != from) {
                return;
            }
            connection = null;
            waiting.values().forEach(orphaned::addAll);
            waiting.clear();
        }
        closeQuietly(from.body());
        orphaned.forEach(f -> f.cancel(false)); // their awaits carry on without the stream
    }

    private void closeIfIdle() {
        synchronized (lock) {
            if (connection != null && waiting.isEmpty() && System.nanoTime() - lastUseNanos > IDLE.toNanos()) {
                closeQuietly(connection.body());
            }
        }
    }

    private static void closeQuietly(InputStream body) {
        try {
            body.close();
        } catch (IOException e) {
            // Nothing to do: the connection is being abandoned either way.
        }
    }
}
