package org.planetarymesh.coordinator.openai;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.planetarymesh.coordinator.api.ApiException;
import org.planetarymesh.coordinator.events.JobEventHub;
import org.planetarymesh.coordinator.scheduler.LiveOutput;
import org.planetarymesh.core.job.JobEvent;

/**
 * One inference job's output on its way to the HTTP thread answering the chat request: the text deltas as the
 * scheduler accepts them ({@link LiveOutput}, before they are committed, so a token waits for no fsync) and the job's
 * {@code end} event once committed. The end is committed after every chunk, so it arrives after the last delta.
 * Subscribe before the job is submitted, so nothing is missed.
 */
final class ChatRelay implements AutoCloseable {

    /** Most text a relay holds for a reader that has not taken it; beyond it the request is ended. */
    static final long MAX_BUFFERED_BYTES = 8L * 1024 * 1024;

    /** What the reader takes next. */
    sealed interface Event {
        /** Text the assistant produced. */
        record Delta(String text) implements Event {}

        /** The job ended (its {@code end} event). */
        record Ended(JobEvent end) implements Event {}

        /** The request cannot be answered any more (the job was not stored, or the reader fell behind). */
        record Failed(ApiException why) implements Event {}
    }

    private final LinkedBlockingQueue<Event> queue = new LinkedBlockingQueue<>();
    private final AtomicLong buffered = new AtomicLong();
    private final ChunkText text = new ChunkText();
    private final AutoCloseable live;
    private final AutoCloseable ends;
    private volatile boolean broken;

    ChatRelay(LiveOutput output, JobEventHub hub, String jobId) {
        this.live = output.watch(jobId, (attempt, seq, data) -> chunk(data));
        this.ends = hub.subscribe(jobId, event -> {
            if (event.kind() == JobEvent.Kind.END) {
                // The end is committed after the last chunk was handled, so nothing else touches the decoder now.
                delta(text.rest());
                queue.add(new Event.Ended(event));
            }
        });
    }

    private void chunk(String base64) {
        if (broken || base64 == null) {
            return;
        }
        try {
            delta(text.next(base64));
        } catch (IllegalArgumentException e) {
            broken = true;
            fail(new ApiException(
                    502,
                    "bad_chunk",
                    "the agent sent output that is not base64, as the protocol's job_chunk requires"));
        }
    }

    private void delta(String text) {
        if (broken || text.isEmpty()) {
            return;
        }
        if (buffered.addAndGet(text.length()) > MAX_BUFFERED_BYTES) {
            broken = true;
            fail(new ApiException(
                    500,
                    "reader_too_slow",
                    "the client read the stream more slowly than the model wrote it (over " + MAX_BUFFERED_BYTES
                            + " bytes waiting); the job was cancelled"));
            return;
        }
        queue.add(new Event.Delta(text));
    }

    /** Ends the relay with {@code why}: the next read after what is queued returns it. */
    void fail(ApiException why) {
        queue.add(new Event.Failed(why));
    }

    /** The next event, or null if none came within {@code timeoutMillis}. */
    Event next(long timeoutMillis) throws InterruptedException {
        return taken(queue.poll(timeoutMillis, TimeUnit.MILLISECONDS));
    }

    /** The next event if one is waiting, else null. */
    Event poll() {
        return taken(queue.poll());
    }

    private Event taken(Event event) {
        if (event instanceof Event.Delta d) {
            buffered.addAndGet(-d.text().length());
        }
        return event;
    }

    @Override
    public void close() throws Exception {
        live.close();
        ends.close();
    }
}
