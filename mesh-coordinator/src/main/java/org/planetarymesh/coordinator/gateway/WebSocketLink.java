package org.planetarymesh.coordinator.gateway;

import io.javalin.websocket.WsContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.planetarymesh.core.protocol.FramePacker;
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
    /** Messages taken per turn at most; bounds the time one agent holds the sender. */
    private static final int MAX_BATCH = 512;

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
        try {
            while (true) {
                taken.add(outbound.take());
                outbound.drainTo(taken, MAX_BATCH - 1);
                // The agent refuses frames above its codec's limit; the packer keeps each frame under it.
                FramePacker packer = new FramePacker(MessageCodec.DEFAULT_MAX_FRAME_BYTES);
                for (Message message : taken) {
                    if (message == POISON) {
                        flush(packer);
                        return;
                    }
                    String encoded = codec.encode(message);
                    if (!packer.add(encoded)) {
                        flush(packer);
                        packer = new FramePacker(MessageCodec.DEFAULT_MAX_FRAME_BYTES);
                        packer.add(encoded);
                    }
                }
                flush(packer);
                taken.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.debug("send to {} failed: {}", remote, e.toString());
        }
    }

    private void flush(FramePacker packer) {
        if (packer.count() > 0 && ctx.session.isOpen()) {
            ctx.send(packer.frame());
        }
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
