package org.planetarymesh.agent.link;

import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.planetarymesh.core.protocol.FramePacker;
import org.planetarymesh.core.protocol.Message;
import org.planetarymesh.core.protocol.MessageCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one session's {@link Outbox} (and its heartbeats) to the coordinator without a sender thread: whichever thread
 * queues a message, or completes the previous write, starts the next frame, so a result leaves from the thread that
 * produced it instead of waking another one. {@code java.net.http.WebSocket} allows one write in flight; what queues
 * meanwhile goes out together as the next batch frame. Messages leave the outbox only once written, so a failed write
 * keeps them for the next session.
 */
final class OutboxWriter {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxWriter.class);

    private final WebSocket ws;
    private final Outbox outbox;
    private final Function<Message, String> encode;
    private final int maxBatch;
    private final ReceiptSealer sealer;
    private final boolean compactReceipts;
    private final Queue<String> control = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicBoolean windowKick = new AtomicBoolean(); // a kick at the end of the receipt window is due
    private final AtomicInteger holds = new AtomicInteger();
    private volatile long writingSince;
    private volatile boolean stopped;

    /**
     * A writer for one session; {@code compactReceipts}: the coordinator's welcome offered compact receipts, so a
     * frame's results carry their receipts' CIDs and the frame ends with one {@code receipt_batch}.
     */
    OutboxWriter(
            WebSocket ws,
            Outbox outbox,
            Function<Message, String> encode,
            int maxBatch,
            ReceiptSealer sealer,
            boolean compactReceipts) {
        this.sealer = sealer;
        this.compactReceipts = compactReceipts;
        this.ws = ws;
        this.outbox = outbox;
        this.encode = encode;
        this.maxBatch = maxBatch;
    }

    /** A frame written ahead of the outbox (a heartbeat). */
    void sendControl(String frame) {
        control.add(frame);
        kick();
    }

    /**
     * Holds writes back until {@link #release()}: the WebSocket thread takes a whole incoming frame this way, so the
     * accepts for a batch of assignments leave as one frame rather than one each.
     */
    void hold() {
        holds.incrementAndGet();
    }

    /** Ends a {@link #hold()} and writes what queued meanwhile. */
    void release() {
        holds.decrementAndGet();
        kick();
    }

    /** Starts writing unless a write is in flight or held back; returns at once. */
    void kick() {
        // Each turn writes one frame; a write that completes at once lets this thread go on with the next.
        while (!stopped && holds.get() == 0 && busy.compareAndSet(false, true)) {
            Pending next = next();
            if (next == DEFERRED) {
                busy.set(false); // the kick scheduled by next() writes it once the receipt window is over
                return;
            }
            if (next == null) {
                busy.set(false);
                if (control.isEmpty() && outbox.size() == 0) {
                    return;
                }
                continue; // something was queued after next() looked, and its kick found us busy
            }
            writingSince = System.nanoTime();
            CompletableFuture<WebSocket> write;
            try {
                write = ws.sendText(next.frame(), true);
            } catch (RuntimeException e) {
                written(next, e); // e.g. the socket closed meanwhile: ends the session like a failed write
                return;
            }
            if (!write.isDone()) {
                write.whenComplete((w, error) -> {
                    if (written(next, error)) {
                        kick();
                    }
                });
                return;
            }
            if (!written(next, write.isCompletedExceptionally() ? write.exceptionNow() : null)) {
                return;
            }
        }
    }

    private Pending next() {
        String frame = control.poll();
        if (frame != null) {
            return new Pending(frame, List.of());
        }
        List<Message> waiting = outbox.peekBatch(maxBatch);
        if (waiting.isEmpty()) {
            return null;
        }
        long wait = sealer == null ? 0 : sealer.waitNanos(waiting);
        if (wait > 0) {
            // Results with receipts wait for the signing window; heartbeats (control) still go meanwhile.
            if (windowKick.compareAndSet(false, true)) {
                CompletableFuture.delayedExecutor(wait, TimeUnit.NANOSECONDS).execute(() -> {
                    windowKick.set(false);
                    kick();
                });
            }
            return DEFERRED;
        }
        // Receipts are signed here, once per frame, over the results this frame carries.
        FramePacker.Packed packed = sealer == null
                ? FramePacker.pack(waiting, encode, MessageCodec.DEFAULT_MAX_FRAME_BYTES)
                : compactReceipts
                        ? FramePacker.pack(waiting, encode, MessageCodec.DEFAULT_MAX_FRAME_BYTES, sealer::batchFor)
                        : FramePacker.pack(sealer.seal(waiting), encode, MessageCodec.DEFAULT_MAX_FRAME_BYTES);
        return new Pending(packed.frame(), waiting.subList(0, packed.consumed()));
    }

    /** Whether to go on writing; a failed write ends the session (its messages stay in the outbox). */
    private boolean written(Pending pending, Throwable error) {
        writingSince = 0;
        if (error != null) {
            stopped = true;
            LOG.info("sending to the coordinator failed: {}", error.toString());
            ws.abort();
            return false;
        }
        outbox.removeSent(pending.messages());
        if (sealer != null) {
            sealer.sent(pending.messages());
        }
        busy.set(false);
        return true;
    }

    /** Whether a write has been in flight longer than {@code limit} (the coordinator stopped reading). */
    boolean stalledFor(Duration limit) {
        long since = writingSince;
        return since != 0 && System.nanoTime() - since > limit.toNanos();
    }

    /** Stops writing; messages not yet written stay in the outbox. */
    void stop() {
        stopped = true;
    }

    private record Pending(String frame, List<Message> messages) {}

    private static final Pending DEFERRED = new Pending("", List.of());
}
