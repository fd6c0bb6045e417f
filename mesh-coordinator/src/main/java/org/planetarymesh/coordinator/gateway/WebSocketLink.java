package org.planetarymesh.coordinator.gateway;

import io.javalin.websocket.WsContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.planetarymesh.core.protocol.Message;
import org.planetarymesh.core.protocol.MessageCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent's WebSocket, seen from the coordinator. Messages are queued and written by the link's own virtual thread,
 * so the scheduler never waits on a slow network and frames to one agent never interleave. Whatever queued up while
 * the previous frame was being written goes out as one {@code batch} frame: under load one write carries many
 * {@code assign_job}s, and encoding happens here rather than on the scheduler or store thread.
 */
final class WebSocketLink implements NodeLink {

    private static final Logger LOG = LoggerFactory.getLogger(WebSocketLink.class);
    private static final Message POISON = new Message.Drain("link closed");
    /** Messages per frame at most; bounds the frame and the time one agent holds the sender. */
    private static final int MAX_BATCH = 512;
    /** The agent refuses frames above its codec's limit; stay well under it (chars, each at most 3 UTF-8 bytes). */
    private static final int MAX_FRAME_CHARS = MessageCodec.DEFAULT_MAX_FRAME_BYTES / 3;

    private final WsContext ctx;
    private final MessageCodec codec;
    private final String remote;
    private final BlockingQueue<Message> outbound = new LinkedBlockingQueue<>();
    private final Thread sender;
    private volatile boolean closed;

    WebSocketLink(WsContext ctx, MessageCodec codec) {
        this.ctx = ctx;
        this.codec = codec;
        this.remote = String.valueOf(ctx.session.getRemoteSocketAddress());
        this.sender = Thread.ofVirtual().name("ws-send-" + ctx.sessionId()).start(this::pump);
    }

    @Override
    public void send(Message message) {
        if (!closed) {
            outbound.add(message);
        }
    }

    private void pump() {
        List<Message> taken = new ArrayList<>();
        List<String> frame = new ArrayList<>();
        try {
            while (true) {
                taken.add(outbound.take());
                outbound.drainTo(taken, MAX_BATCH - 1);
                int chars = 0;
                for (Message message : taken) {
                    if (message == POISON) {
                        flush(frame);
                        return;
                    }
                    String encoded = codec.encode(message);
                    if (!frame.isEmpty() && chars + encoded.length() + 64 > MAX_FRAME_CHARS) {
                        flush(frame);
                        chars = 0;
                    }
                    frame.add(encoded);
                    chars += encoded.length() + 1;
                }
                flush(frame);
                taken.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.debug("send to {} failed: {}", remote, e.toString());
        }
    }

    private void flush(List<String> frame) {
        if (frame.isEmpty()) {
            return;
        }
        if (ctx.session.isOpen()) {
            ctx.send(MessageCodec.batchFrame(frame));
        }
        frame.clear();
    }

    @Override
    public void close(String reason) {
        stopSender();
        if (ctx.session.isOpen()) {
            ctx.closeSession(1000, reason);
        }
    }

    void stopSender() {
        if (!closed) {
            closed = true;
            outbound.add(POISON);
        }
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
