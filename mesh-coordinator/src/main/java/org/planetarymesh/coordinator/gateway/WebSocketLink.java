package org.planetarymesh.coordinator.gateway;

import io.javalin.websocket.WsContext;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.planetarymesh.core.protocol.Message;
import org.planetarymesh.core.protocol.MessageCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent's WebSocket, seen from the coordinator. Frames are queued and written by the link's own virtual thread,
 * so the scheduler never waits on a slow network and frames to one agent never interleave.
 */
final class WebSocketLink implements NodeLink {

    private static final Logger LOG = LoggerFactory.getLogger(WebSocketLink.class);
    private static final String POISON = "";

    private final WsContext ctx;
    private final MessageCodec codec;
    private final String remote;
    private final BlockingQueue<String> outbound = new LinkedBlockingQueue<>();
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
            outbound.add(codec.encode(message));
        }
    }

    private void pump() {
        try {
            while (true) {
                String frame = outbound.take();
                if (frame == POISON) {
                    return;
                }
                if (ctx.session.isOpen()) {
                    ctx.send(frame);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.debug("send to {} failed: {}", remote, e.toString());
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
