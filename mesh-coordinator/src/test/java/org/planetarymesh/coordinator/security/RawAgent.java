package org.planetarymesh.coordinator.security;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.planetarymesh.coordinator.Coordinator;
import org.planetarymesh.coordinator.auth.AgentProof;
import org.planetarymesh.core.protocol.Message;
import org.planetarymesh.core.protocol.MessageCodec;

/** A bare agent socket for security tests: sends exactly the frames a test writes and records what comes back. */
final class RawAgent implements AutoCloseable {

    static final MessageCodec CODEC = new MessageCodec();

    /** A real Ed25519 key pair and the did:key that names it. */
    record Identity(KeyPair keys, byte[] rawPublic, String did) {
        static Identity generate() throws Exception {
            KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] encoded = keys.getPublic().getEncoded();
            byte[] raw = Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
            return new Identity(keys, raw, AgentProof.didKey(raw));
        }

        String publicKeyBase64() {
            return Base64.getEncoder().encodeToString(rawPublic);
        }

        String sign(String challenge) throws Exception {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(keys.getPrivate());
            s.update(challenge.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(s.sign());
        }
    }

    /** How the server closed the socket. */
    record Closed(int status, String reason) {}

    final LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
    // Messages of a batch frame not yet handed out by next().
    private final java.util.ArrayDeque<Message> unread = new java.util.ArrayDeque<>();
    final CompletableFuture<Closed> closed = new CompletableFuture<>();
    final WebSocket socket;

    private RawAgent(HttpClient http, String url, String token) throws Exception {
        this.socket = http.newWebSocketBuilder()
                .header("Authorization", "Bearer " + token)
                .connectTimeout(Duration.ofSeconds(5))
                .buildAsync(connectUri(url), new Listener())
                .get(10, TimeUnit.SECONDS);
    }

    static RawAgent connect(Coordinator c, String token) throws Exception {
        return new RawAgent(Fixture.HTTP, c.url(), token);
    }

    static RawAgent connect(HttpClient http, String url, String token) throws Exception {
        return new RawAgent(http, url, token);
    }

    static URI connectUri(String url) {
        return URI.create(url.replaceFirst("^http", "ws") + "/v1/agents/connect");
    }

    /** The HTTP status of the upgrade: 101 when the socket opened, else the refusal's status. */
    static int upgradeStatus(Coordinator c, String token) throws Exception {
        var builder = Fixture.HTTP.newWebSocketBuilder();
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        try {
            WebSocket ws = builder.buildAsync(connectUri(c.url()), new WebSocket.Listener() {})
                    .get(10, TimeUnit.SECONDS);
            ws.abort();
            return 101;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException h) {
                return h.getResponse().statusCode();
            }
            throw e;
        }
    }

    static Message.Hello hello(String nodeId, String publicKey) {
        return new Message.Hello(
                nodeId,
                "raw",
                List.of("echo"),
                List.of("echo"),
                List.of(),
                2,
                null,
                Map.of(),
                Map.of(),
                null,
                publicKey,
                List.of());
    }

    void send(Message message) {
        sendText(CODEC.encode(message));
    }

    void sendText(String frame) {
        socket.sendText(frame, true).orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** The next decoded frame, waiting at most 10 s; null if none came (or the socket closed). */
    Message next() throws InterruptedException {
        if (unread.isEmpty()) {
            String frame = frames.poll(10, TimeUnit.SECONDS);
            if (frame == null) {
                return null;
            }
            unread.addAll(CODEC.decodeFrame(frame));
        }
        return unread.poll();
    }

    Message.Welcome awaitWelcome() throws InterruptedException {
        Message m = next();
        if (m instanceof Message.Welcome w) {
            return w;
        }
        throw new AssertionError("expected welcome, got " + m + " / closed " + closed.getNow(null));
    }

    /** Sends hello, waits for welcome, signs the challenge with {@code signer} in the first heartbeat. */
    Message.Welcome join(String nodeId, Identity claimed, Identity signer) throws Exception {
        send(hello(nodeId, claimed == null ? null : claimed.publicKeyBase64()));
        Message.Welcome welcome = awaitWelcome();
        send(new Message.Heartbeat(0, List.of(), 0, signer == null ? null : signer.sign(welcome.challenge())));
        return welcome;
    }

    Closed awaitClosed() throws Exception {
        return closed.get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        socket.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(new Closed(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(new Closed(-1, String.valueOf(error)));
        }
    }
}
