package org.planetarymesh.coordinator.gateway;

import io.javalin.websocket.WsContext;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.websocket.api.Callback;
import org.planetarymesh.core.protocol.FramePacker;
import org.planetarymesh.core.protocol.Message;
import org.planetarymesh.core.protocol.MessageCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent's WebSocket, seen from the coordinator. Sending never blocks: messages are queued and written with Jetty's
 * asynchronous send, one frame in flight at a time, by whichever thread queued them or completed the previous write.
 * Whatever queued meanwhile goes out as one {@code batch} frame, and the scheduler {@linkplain #hold() holds} the link
 * for the length of its loop turn, so one write carries all of a turn's {@code assign_job}s for this agent.
 */
final class WebSocketLink implements NodeLink {

    private static final Logger LOG = LoggerFactory.getLogger(WebSocketLink.class);
    /** Messages per frame at most; bounds the encoding one write does. */
    private static final int MAX_BATCH = 512;

    private final WsContext ctx;
    private final MessageCodec codec;
    private final String remote;
    private final Queue<Message> outbound = new ConcurrentLinkedQueue<>();
    // Taken from outbound but not yet in a frame (the frame was full); touched only by the thread that set `busy`.
    private final ArrayDeque<Message> carried = new ArrayDeque<>();
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicInteger holds = new AtomicInteger();
    private volatile boolean closed;
    private volatile boolean local;

    WebSocketLink(WsContext ctx, MessageCodec codec) {
        this.ctx = ctx;
        this.codec = codec;
        this.remote = String.valueOf(ctx.session.getRemoteSocketAddress());
    }

    @Override
    public void send(Message message) {
        if (!closed) {
            outbound.add(message);
            kick();
        }
    }

    @Override
    public void hold() {
        holds.incrementAndGet();
    }

    @Override
    public void release() {
        holds.decrementAndGet();
        kick();
    }

    /** Writes the next frame unless one is in flight or the link is held; returns at once. */
    private void kick() {
        // One frame per turn; a write Jetty completes before returning lets this thread go on with the next.
        while (holds.get() == 0 && busy.compareAndSet(false, true)) {
            String frame = nextFrame();
            if (frame == null || !ctx.session.isOpen()) {
                busy.set(false);
                if (outbound.isEmpty() || !ctx.session.isOpen()) {
                    return;
                }
                continue; // queued after nextFrame() looked; that sender's kick found us busy
            }
            Write write = new Write();
            try {
                ctx.session.sendText(frame, write);
            } catch (RuntimeException e) {
                write.fail(e); // the session closed meanwhile
            }
            if (write.returned()) {
                return; // still in flight: its completion kicks
            }
        }
    }

    private String nextFrame() {
        List<Message> batch = new ArrayList<>(carried);
        carried.clear();
        Message message;
        while (batch.size() < MAX_BATCH && (message = outbound.poll()) != null) {
            batch.add(message);
        }
        if (batch.isEmpty()) {
            return null;
        }
        // The agent refuses frames above its codec's limit; the packer keeps each frame under it.
        FramePacker.Packed packed = FramePacker.pack(batch, codec::encode, MessageCodec.DEFAULT_MAX_FRAME_BYTES);
        carried.addAll(batch.subList(packed.consumed(), batch.size()));
        return packed.frame();
    }

    /** One frame's completion: frees the link and, if it completed after sendText returned, writes what waits. */
    private final class Write implements Callback {
        private static final int PENDING = 0;
        private static final int DONE_INLINE = 1;
        private static final int RETURNED = 2;
        private final AtomicInteger state = new AtomicInteger(PENDING);

        /** Called once sendText returns; true if the write is still in flight (so its completion will kick). */
        boolean returned() {
            return state.compareAndSet(PENDING, RETURNED);
        }

        @Override
        public void succeed() {
            busy.set(false);
            if (!state.compareAndSet(PENDING, DONE_INLINE)) {
                kick();
            }
        }

        @Override
        public void fail(Throwable error) {
            LOG.debug("send to {} failed: {}", remote, error.toString());
            closed = true;
            outbound.clear();
            busy.set(false);
            state.set(DONE_INLINE);
        }
    }

    @Override
    public boolean local() {
        return local;
    }

    /** Records that the agent on this link proved the key of one of the coordinator's own node ids. */
    void markLocal() {
        local = true;
    }

    @Override
    public void close(String reason) {
        close(1000, reason);
    }

    /** Closes with status 1002 (protocol error): the peer broke the protocol, it did not just go away. */
    void closeForProtocolError(String reason) {
        close(1002, "protocol error: " + reason);
    }

    private void close(int status, String reason) {
        stopSender();
        if (ctx.session.isOpen()) {
            ctx.closeSession(status, closeReason(reason));
        }
    }

    /** A close frame's reason holds at most 123 UTF-8 bytes; a longer one is cut rather than refused. */
    private static String closeReason(String reason) {
        if (reason.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 123) {
            return reason;
        }
        String cut = reason.substring(0, Math.min(reason.length(), 120));
        while (cut.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 120) {
            cut = cut.substring(0, cut.length() - 1);
        }
        return cut + "...";
    }

    /** Takes no more messages; those already queued are still written while the session is open. */
    void stopSender() {
        closed = true;
    }

    @Override
    public String mode() {
        return "websocket";
    }

    @Override
    public String address() {
        return remote;
    }
}
