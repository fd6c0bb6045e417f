package org.planetarymesh.coordinator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.http.sse.SseClient;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.planetarymesh.coordinator.events.JobEventHub;
import org.planetarymesh.core.job.JobEvent;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.store.JobStore;

/**
 * {@code GET /v1/jobs/{id}/events}: replays a job's stored events, then follows live ones until its {@code end}
 * event. It subscribes before replaying and skips live events it already replayed, so nothing falls in the gap.
 * A subscriber that cannot keep up (its buffer is full) is disconnected rather than allowed to grow memory; it can
 * reconnect with {@code Last-Event-ID} and resume.
 */
final class JobEventStream {

    private static final int BUFFER = 10_000;
    private static final long KEEP_ALIVE_SECONDS = 15;

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

    void stream(SseClient client) {
        String jobId = client.ctx().pathParam("id");
        long last = lastEventId(client.ctx().header("Last-Event-ID"));
        boolean follow = !"false".equalsIgnoreCase(client.ctx().queryParam("follow"));
        BlockingQueue<JobEvent> live = new LinkedBlockingQueue<>(BUFFER);
        AtomicBoolean overflowed = new AtomicBoolean();
        client.keepAlive();
        try (AutoCloseable ignored = hub.subscribe(jobId, event -> {
            if (!live.offer(event)) {
                overflowed.set(true);
            }
        })) {
            for (JobEvent event : store.events(jobId, last)) {
                send(client, event);
                last = event.seq();
                if (event.kind() == JobEvent.Kind.END) {
                    return;
                }
            }
            while (follow && !client.terminated() && !overflowed.get()) {
                JobEvent event = live.poll(KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
                if (event == null) {
                    client.sendComment("keep-alive");
                    continue;
                }
                if (event.seq() <= last) {
                    continue;
                }
                send(client, event);
                last = event.seq();
                if (event.kind() == JobEvent.Kind.END) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // the client went away mid-write; nothing to clean beyond the subscription
        } finally {
            client.close();
        }
    }

    private static void send(SseClient client, JobEvent event) throws JsonProcessingException {
        client.sendEvent(event.kind().sseName(), Json.mapper().writeValueAsString(event), Long.toString(event.seq()));
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
