package org.planetarymesh.coordinator.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobEvent;

/**
 * What one event stream holds for a reader that has not taken it yet, bounded by count and by approximate bytes, per
 * stream and across all streams. A count alone let four slow readers of 256 KiB results hold a gigabyte. When an item
 * does not fit, the stream is marked overflowed and ends; its reader reconnects (with {@code Last-Event-ID}) and
 * resumes from the store.
 *
 * <p>Sizes are estimated from the item's text (payload, result, log data) without encoding it, since items are
 * offered on the thread that publishes commits.
 */
final class StreamBuffer<T> {

    /** Items a stream may fall behind by. */
    static final int MAX_ITEMS = 10_000;
    /** Bytes (estimated) a stream may fall behind by. */
    static final long MAX_BYTES = 8L << 20;
    /** Bytes (estimated) all streams together may hold for their readers. */
    static final long MAX_TOTAL_BYTES = 256L << 20;

    private static final AtomicLong TOTAL = new AtomicLong();
    private static final int OVERHEAD = 256; // ids, times and field names around the text counted below

    private record Sized<T>(T item, long bytes) {}

    private final LinkedBlockingQueue<Sized<T>> queue = new LinkedBlockingQueue<>(MAX_ITEMS);
    private final AtomicLong bytes = new AtomicLong();
    private final long maxBytes;
    private final long maxTotalBytes;
    private volatile boolean overflowed;
    private volatile String overflowReason;

    StreamBuffer() {
        this(MAX_BYTES, MAX_TOTAL_BYTES);
    }

    StreamBuffer(long maxBytes, long maxTotalBytes) {
        this.maxBytes = maxBytes;
        this.maxTotalBytes = maxTotalBytes;
    }

    /** Queues {@code item} of about {@code size} bytes, or marks the stream overflowed if it does not fit. */
    void offer(T item, long size) {
        if (overflowed) {
            return;
        }
        if (bytes.addAndGet(size) > maxBytes) {
            overflow("it fell behind by more than " + (maxBytes >> 20) + " MiB of events");
            bytes.addAndGet(-size);
            return;
        }
        if (TOTAL.addAndGet(size) > maxTotalBytes) {
            overflow("the coordinator holds more than " + (maxTotalBytes >> 20) + " MiB for slow event readers");
            TOTAL.addAndGet(-size);
            bytes.addAndGet(-size);
            return;
        }
        if (!queue.offer(new Sized<>(item, size))) {
            overflow("it fell behind by more than " + MAX_ITEMS + " events");
            TOTAL.addAndGet(-size);
            bytes.addAndGet(-size);
        }
    }

    /** The next item, waiting at most {@code seconds}; null if none came. */
    T poll(long seconds) throws InterruptedException {
        Sized<T> next = queue.poll(seconds, TimeUnit.SECONDS);
        if (next == null) {
            return null;
        }
        release(next.bytes());
        return next.item();
    }

    boolean overflowed() {
        return overflowed;
    }

    /** Why the stream overflowed, for the comment line that ends it. */
    String overflowReason() {
        return overflowReason;
    }

    /** Gives back what is still queued to the shared budget; call once the stream ends. */
    void close() {
        for (Sized<T> left = queue.poll(); left != null; left = queue.poll()) {
            release(left.bytes());
        }
    }

    private void release(long size) {
        bytes.addAndGet(-size);
        TOTAL.addAndGet(-size);
    }

    private void overflow(String reason) {
        overflowReason = reason;
        overflowed = true;
    }

    /** Bytes all streams hold now (for tests). */
    static long totalBytes() {
        return TOTAL.get();
    }

    /** About how many bytes {@code job} takes as JSON: its payload, result and error text, plus fixed fields. */
    static long sizeOf(Job job) {
        long size = OVERHEAD * 4L + sizeOf(job.spec().payload()) + sizeOf(job.result());
        if (job.error() != null && job.error().message() != null) {
            size += job.error().message().length();
        }
        return size;
    }

    /** About how many bytes {@code event} takes as JSON. */
    static long sizeOf(JobEvent event) {
        long size = OVERHEAD + sizeOf(event.result());
        size += event.log() == null ? 0 : event.log().length();
        size += event.data() == null ? 0 : event.data().length();
        if (event.error() != null && event.error().message() != null) {
            size += event.error().message().length();
        }
        return size;
    }

    /** A JSON tree's text and structure, counted without writing it (depth is bounded by the parser's limit). */
    static long sizeOf(JsonNode node) {
        if (node == null) {
            return 0;
        }
        if (node.isTextual()) {
            return node.textValue().length() + 2L;
        }
        if (node.isContainerNode()) {
            long size = 2;
            if (node.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    size += field.getKey().length() + 4L + sizeOf(field.getValue());
                }
            } else {
                for (JsonNode element : node) {
                    size += 1 + sizeOf(element);
                }
            }
            return size;
        }
        return 8;
    }
}
