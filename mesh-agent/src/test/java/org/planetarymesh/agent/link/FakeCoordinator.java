package org.planetarymesh.agent.link;

import io.javalin.Javalin;
import io.javalin.websocket.WsContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.planetarymesh.core.protocol.Message;
import org.planetarymesh.core.protocol.MessageCodec;

/** A small real coordinator endpoint for tests: speaks protocol v1 over a Javalin WebSocket on 127.0.0.1. */
public final class FakeCoordinator implements AutoCloseable {
    static final long HEARTBEAT_MS = 200;

    private final MessageCodec codec = new MessageCodec();
    private final List<Message> received = new CopyOnWriteArrayList<>();
    private final List<ReceivedFrame> frames = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final List<String> challenges = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final Javalin app;
    private volatile WsContext session;
    private volatile boolean compactReceipts;

    public FakeCoordinator(int port) {
        app = Javalin.create(config -> {
                    config.startup.showJavalinBanner = false;
                    // As the real coordinator: Jetty's own default (64 KiB) is far below the protocol's frame limit.
                    config.jetty.modifyWebSocketServletFactory(
                            f -> f.setMaxTextMessageSize(MessageCodec.DEFAULT_MAX_FRAME_BYTES));
                    config.routes.ws("/v1/agents/connect", ws -> {
                        ws.onConnect(ctx -> {
                            authorizations.add(String.valueOf(ctx.header("Authorization")));
                            session = ctx;
                        });
                        ws.onMessage(ctx -> onFrame(ctx, ctx.message()));
                    });
                })
                .start("127.0.0.1", port);
    }

    /** One frame from the agent: its messages (several if it was a batch) and its UTF-8 size. */
    record ReceivedFrame(List<Message> messages, int bytes) {}

    private void onFrame(WsContext ctx, String frame) {
        // Agent frames may be batches since the agent packs waiting messages into one frame.
        List<Message> messages = codec.decodeFrame(frame);
        frames.add(new ReceivedFrame(messages, frame.getBytes(StandardCharsets.UTF_8).length));
        received.addAll(messages);
        for (Message message : messages) {
            if (message instanceof Message.Hello hello) {
                String challenge = "challenge-" + connections.incrementAndGet();
                challenges.add(challenge);
                send(
                        ctx,
                        new Message.Welcome(
                                "conn-" + connections.get(), hello.nodeId(), HEARTBEAT_MS, challenge, compactReceipts));
            }
        }
    }

    /** Welcomes agents from now on as a coordinator that rebuilds receipts (compact receipts, ADR 0105). */
    FakeCoordinator offerCompactReceipts() {
        compactReceipts = true;
        return this;
    }

    public int port() {
        return app.port();
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    List<String> authorizations() {
        return authorizations;
    }

    List<String> challenges() {
        return challenges;
    }

    public List<Message> received() {
        return received;
    }

    /** The agent's frames as they came, in order. */
    List<ReceivedFrame> frames() {
        return frames;
    }

    public void send(Message message) {
        send(session, message);
    }

    /** Sends {@code messages} in one frame, a {@code batch} envelope when there are several. */
    synchronized void sendBatch(List<Message> messages) {
        session.send(codec.encodeBatch(messages));
    }

    private synchronized void send(WsContext ctx, Message message) {
        ctx.send(codec.encode(message));
    }

    public <T extends Message> List<T> all(Class<T> type, Predicate<T> filter) {
        return received.stream()
                .filter(type::isInstance)
                .map(type::cast)
                .filter(filter)
                .toList();
    }

    public <T extends Message> Optional<T> find(Class<T> type, Predicate<T> filter) {
        return all(type, filter).stream().findFirst();
    }

    /** Waits (up to {@code wait}) for a received message of {@code type} matching {@code filter}. */
    public <T extends Message> T await(Class<T> type, Predicate<T> filter, Duration wait) {
        return org.awaitility.Awaitility.await()
                .atMost(wait)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> find(type, filter), Optional::isPresent)
                .orElseThrow();
    }

    public <T extends Message> T await(Class<T> type, Predicate<T> filter) {
        return await(type, filter, Duration.ofSeconds(10));
    }

    @Override
    public void close() {
        app.stop();
    }
}
