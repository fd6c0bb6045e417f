package org.planetarymesh.agent.link;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.planetarymesh.core.protocol.Message;
import org.planetarymesh.core.protocol.MessageCodec;
import org.planetarymesh.core.protocol.ProtocolException;

/**
 * Receives one connection's frames. Text may arrive in parts, so parts are joined until {@code last}, bounded by the
 * codec's frame limit. Until the session is up, whole frames are queued for the session thread, which requests the
 * next only once it has handled one; from {@link #deliverTo} on, they are handled right here on the WebSocket's thread
 * (one thread hop less per assignment) and the next is requested after. Either way a batch counts as one frame, and a
 * slow agent slows the coordinator instead of buffering without bound.
 */
final class FrameListener implements WebSocket.Listener {
    private final MessageCodec codec;
    private final int maxFrameChars;
    private final BlockingQueue<LinkEvent> events = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile Consumer<List<Message>> handler;
    // When the coordinator was last heard from (any frame or pong): a paused coordinator keeps its sockets open.
    private volatile long lastHeardNanos = System.nanoTime();

    FrameListener(MessageCodec codec, int maxFrameChars) {
        this.codec = codec;
        this.maxFrameChars = maxFrameChars;
    }

    /**
     * Hands whole frames to {@code handler} on the WebSocket's thread from now on. Call it while no frame is requested,
     * so none is delivered twice or out of order; {@code handler} must not block.
     */
    void deliverTo(Consumer<List<Message>> handler) {
        this.handler = handler;
    }

    /** How long ago the coordinator last sent anything (a frame or a pong). */
    Duration silence() {
        return Duration.ofNanos(System.nanoTime() - lastHeardNanos);
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        lastHeardNanos = System.nanoTime();
        webSocket.request(1);
        return null;
    }

    /** The next event, or {@code null} after {@code wait}. */
    LinkEvent next(Duration wait) throws InterruptedException {
        return events.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        lastHeardNanos = System.nanoTime();
        if (partial.length() + data.length() > maxFrameChars) {
            partial.setLength(0);
            events.add(new LinkEvent.Closed("coordinator sent a frame larger than " + maxFrameChars + " characters"));
            webSocket.abort();
            return null;
        }
        partial.append(data);
        if (!last) {
            webSocket.request(1);
            return null;
        }
        String frame = partial.toString();
        partial.setLength(0);
        List<Message> messages;
        try {
            messages = codec.decodeFrame(frame);
        } catch (ProtocolException e) {
            events.add(new LinkEvent.BadFrame(e.code() + ": " + e.getMessage()));
            return null;
        }
        Consumer<List<Message>> direct = handler;
        if (direct == null) {
            events.add(new LinkEvent.Frame(messages));
        } else {
            direct.accept(messages);
            webSocket.request(1);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        if (last) {
            events.add(new LinkEvent.BadFrame("binary frames are not part of protocol v1"));
        } else {
            webSocket.request(1);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        events.add(new LinkEvent.Closed("closed by coordinator: " + statusCode + " " + reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        events.add(new LinkEvent.Closed("connection error: " + error));
    }
}
