package org.planetarymesh.agent.link;

import io.javalin.Javalin;
import io.javalin.websocket.WsContext;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.planetarymesh.core.protocol.Message;
import org.planetarymesh.core.protocol.MessageCodec;

/** A small real coordinator endpoint for tests: speaks protocol v1 over a Javalin WebSocket on 127.0.0.1. */
final class FakeCoordinator implements AutoCloseable {
    static final long HEARTBEAT_MS = 200;

    private final MessageCodec codec = new MessageCodec();
    private final List<Message> received = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final List<String> challenges = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final Javalin app;
    private volatile WsContext session;

    FakeCoordinator(int port) {
        app = Javalin.create(config -> {
                    config.startup.showJavalinBanner = false;
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

    private void onFrame(WsContext ctx, String frame) {
        Message message = codec.decode(frame);
        received.add(message);
        if (message instanceof Message.Hello hello) {
            String challenge = "challenge-" + connections.incrementAndGet();
            challenges.add(challenge);
            send(ctx, new Message.Welcome("conn-" + connections.get(), hello.nodeId(), HEARTBEAT_MS, challenge));
        }
    }

    int port() {
        return app.port();
    }

    String url() {
        return "http://127.0.0.1:" + port();
    }

    List<String> authorizations() {
        return authorizations;
    }

    List<String> challenges() {
        return challenges;
    }

    List<Message> received() {
        return received;
    }

    void send(Message message) {
        send(session, message);
    }

    private synchronized void send(WsContext ctx, Message message) {
        ctx.send(codec.encode(message));
    }

    <T extends Message> List<T> all(Class<T> type, Predicate<T> filter) {
        return received.stream()
                .filter(type::isInstance)
                .map(type::cast)
                .filter(filter)
                .toList();
    }

    <T extends Message> Optional<T> find(Class<T> type, Predicate<T> filter) {
        return all(type, filter).stream().findFirst();
    }

    /** Waits (up to {@code wait}) for a received message of {@code type} matching {@code filter}. */
    <T extends Message> T await(Class<T> type, Predicate<T> filter, Duration wait) {
        return org.awaitility.Awaitility.await()
                .atMost(wait)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> find(type, filter), Optional::isPresent)
                .orElseThrow();
    }

    <T extends Message> T await(Class<T> type, Predicate<T> filter) {
        return await(type, filter, Duration.ofSeconds(10));
    }

    @Override
    public void close() {
        app.stop();
    }
}
