package org.planetarymesh.coordinator.api;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.planetarymesh.coordinator.events.JobEventHub;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobIds;

/**
 * {@code GET /v1/events}: one stream for the whole mesh that sends every job, as it ended, the moment its end is
 * durable ({@code event: end}, data the job as {@code GET /v1/jobs/{id}} answers it). A client waiting for many jobs
 * holds this one stream instead of one per job, as BullMQ's {@code QueueEvents} does. A token with role {@code submit}
 * sees only its own jobs.
 *
 * <p>The stream is live only. Its first frame, {@code event: ready}, is sent once the subscription is in place and
 * names {@code covers_jobs_after}, an id minted then: ids only grow, so every job whose id sorts after it ends on this
 * stream, and a client needs to ask about no other job (earlier ones may have ended before it subscribed). A subscriber
 * that cannot keep up is disconnected rather than allowed to grow memory; it reconnects and asks about the jobs it
 * still waits for.
 */
final class MeshEventStream {

    private final JobEventHub hub;
    private final int maxStreams;
    private final AtomicInteger open = new AtomicInteger();

    MeshEventStream(JobEventHub hub, int maxStreams) {
        this.hub = hub;
        this.maxStreams = maxStreams;
    }

    void stream(Context ctx) throws IOException {
        if (open.incrementAndGet() > maxStreams) {
            open.decrementAndGet();
            throw new ApiException(
                    429,
                    "too_many_subscribers",
                    maxStreams + " mesh-wide event streams are already open; close one, or follow single jobs with"
                            + " GET /v1/jobs/{id}/events");
        }
        try {
            follow(ctx, JobsApi.ownerScope(ctx));
        } finally {
            open.decrementAndGet();
        }
    }

    private void follow(Context ctx, String owner) throws IOException {
        StreamBuffer<Job> ended = new StreamBuffer<>();
        OutputStream out = JobEventStream.open(ctx.res());
        try (AutoCloseable ignored = hub.subscribeEnds(job -> {
            if (owner == null || owner.equals(job.owner())) {
                ended.offer(job, StreamBuffer.sizeOf(job));
            }
        })) {
            String coversAfter = JobIds.next(); // minted after subscribing: every later job's end reaches this stream
            send(out, "ready", Map.of("covers_jobs_after", coversAfter));
            // Ends on overflow, or when a write finds the client gone (at the latest at the next keep-alive).
            while (!ended.overflowed()) {
                Job job = ended.poll(JobEventStream.KEEP_ALIVE_SECONDS);
                if (job == null) {
                    JobEventStream.keepAlive(out);
                    continue;
                }
                send(out, "end", job);
            }
            JobEventStream.endSlowReader(out, ended, "reconnect and ask about the jobs still awaited");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // the client went away mid-write; nothing to clean beyond the subscription
        } finally {
            ended.close();
        }
    }

    /** Writes and flushes one frame; Jackson writes JSON on one line, as an SSE data line requires. */
    private static void send(OutputStream out, String event, Object data) throws IOException {
        JobEventStream.write(out, "event: " + event + "\ndata: ");
        JobEventStream.writeData(out, data);
        out.flush();
    }
}
