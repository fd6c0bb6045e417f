package org.planetarymesh.coordinator.fuzz;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
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
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.planetarymesh.coordinator.auth.AgentProof;
import org.planetarymesh.core.protocol.Message;
import org.planetarymesh.core.protocol.MessageCodec;

/** A bare agent WebSocket for the fuzzer: sends exactly what it is given, records frames, close and pongs. */
final class FuzzAgent implements AutoCloseable {

    static final MessageCodec CODEC = new MessageCodec();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    /** A real Ed25519 key and its did:key. */
    record Identity(KeyPair keys, String did, String publicKeyBase64) {
        static Identity generate() throws Exception {
            KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] encoded = keys.getPublic().getEncoded();
            byte[] raw = Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
            return new Identity(
                    keys, AgentProof.didKey(raw), Base64.getEncoder().encodeToString(raw));
        }

        String sign(String challenge) throws Exception {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(keys.getPrivate());
            s.update(challenge.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(s.sign());
        }
    }

    record Closed(int status, String reason) {}

    final LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
    // Messages of a batch frame not yet handed out by next().
    private final java.util.ArrayDeque<Message> unread = new java.util.ArrayDeque<>();
    final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private volatile CompletableFuture<Void> pong = new CompletableFuture<>();
    private final WebSocket socket;

    FuzzAgent(String url, String token) throws Exception {
        this.socket = HTTP.newWebSocketBuilder()
                .header("Authorization", "Bearer " + token)
                .connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create(url.replaceFirst("^http", "ws") + "/v1/agents/connect"), new Listener())
                .get(10, TimeUnit.SECONDS);
    }

    static Message.Hello hello(String nodeId, String publicKey, List<String> capabilities) {
        return new Message.Hello(
                nodeId,
                "fuzz",
                capabilities,
                List.of("echo"),
                List.of(),
                4,
                null,
                Map.of(),
                Map.of(),
                null,
                publicKey,
                List.of());
    }

    /** Sends hello, waits for welcome, proves the key. */
    void join(Identity me, List<String> capabilities) throws Exception {
        send(hello(me.did(), me.publicKeyBase64(), capabilities));
        Message welcome = next(Duration.ofSeconds(10));
        if (!(welcome instanceof Message.Welcome w)) {
            throw new AssertionError("expected welcome, got " + welcome + " / " + closed.getNow(null));
        }
        send(new Message.Heartbeat(0, List.of(), 0, me.sign(w.challenge())));
    }

    synchronized void send(Message message) {
        sendText(CODEC.encode(message));
    }

    /** Sends one text frame; false if the socket is already closed (the server may close it mid-sequence). */
    synchronized boolean sendText(String frame) {
        if (closed.isDone() || socket.isOutputClosed()) {
            return false;
        }
        try {
            socket.sendText(frame, true).get(10, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    synchronized boolean sendBinary(byte[] data) {
        if (closed.isDone() || socket.isOutputClosed()) {
            return false;
        }
        try {
            socket.sendBinary(ByteBuffer.wrap(data), true).get(10, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    Message next(Duration wait) throws InterruptedException {
        if (unread.isEmpty()) {
            String frame = frames.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
            if (frame == null) {
                return null;
            }
            unread.addAll(CODEC.decodeFrame(frame));
        }
        return unread.poll();
    }

    /**
     * Not stuck: either the server closed the socket (with a status), or it still answers a ping within 10 s. Returns
     * "closed <status> <reason>" or "open".
     */
    String liveness() throws Exception {
        if (closed.isDone()) {
            return "closed " + closed.get().status() + " " + closed.get().reason();
        }
        CompletableFuture<Void> awaited = new CompletableFuture<>();
        pong = awaited;
        synchronized (this) {
            try {
                socket.sendPing(ByteBuffer.wrap(new byte[] {1})).get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                // closed meanwhile: judged below
            }
        }
        CompletableFuture.anyOf(awaited, closed).get(10, TimeUnit.SECONDS);
        return closed.isDone()
                ? "closed " + closed.get().status() + " " + closed.get().reason()
                : "open";
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
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            pong.complete(null);
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
