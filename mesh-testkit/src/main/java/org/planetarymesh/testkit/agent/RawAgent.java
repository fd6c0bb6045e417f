package org.planetarymesh.testkit.agent;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.planetarymesh.core.identity.DidKey;
import org.planetarymesh.core.protocol.Message;
import org.planetarymesh.core.protocol.MessageCodec;

/**
 * A bare agent WebSocket to a coordinator's {@code /v1/agents/connect}: sends exactly what a test writes and records
 * what comes back, to be read with {@link #next} — or, opened with a listener, hands each message to it as it arrives
 * (the base of scripted fake agents).
 */
public final class RawAgent implements AutoCloseable {

    /** The wire codec, for tests that build frames themselves. */
    public static final MessageCodec CODEC = new MessageCodec();

    /** A shared plain client for coordinators without TLS; TLS tests pass their own to {@link #connect}. */
    public static final HttpClient HTTP = HttpClient.newHttpClient();

    // How long any single send, receive, ping or close is waited for before the test gives up.
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** A real Ed25519 key pair and the did:key that names it. */
    public record Identity(KeyPair keys, String did, String publicKeyBase64) {

        /** A fresh key pair; the node id is the did:key of its raw 32-byte public key. */
        public static Identity generate() throws Exception {
            KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] encoded = keys.getPublic().getEncoded();
            // The X.509 encoding ends with the raw key, which is what did:key and hello.public_key carry.
            byte[] raw = Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
            return new Identity(
                    keys, DidKey.fromEd25519(raw), Base64.getEncoder().encodeToString(raw));
        }

        /** This key as a signer of receipts and bids. */
        public org.planetarymesh.core.identity.Signer signer() {
            return new org.planetarymesh.core.identity.Signer() {
                @Override
                public String did() {
                    return did;
                }

                @Override
                public byte[] sign(byte[] data) {
                    try {
                        Signature s = Signature.getInstance("Ed25519");
                        s.initSign(keys.getPrivate());
                        s.update(data);
                        return s.sign();
                    } catch (java.security.GeneralSecurityException e) {
                        throw new IllegalStateException(e);
                    }
                }
            };
        }

        /**
         * The signed receipt of a successful {@code assign} with {@code result} and no output chunks, as an agent
         * sends it in {@code job_done.receipt}; null when the assignment asks for none (no {@code spec_cid}).
         */
        public com.fasterxml.jackson.databind.JsonNode receipt(
                Message.AssignJob assign, com.fasterxml.jackson.databind.JsonNode result) {
            if (assign.specCid() == null) {
                return null;
            }
            String now = java.time.Instant.now().toString();
            var receipt = new org.planetarymesh.core.receipt.ExecutionReceipt(
                    org.planetarymesh.core.receipt.ExecutionReceipt.VERSION,
                    assign.jobId(),
                    assign.specCid(),
                    assign.attempt(),
                    did,
                    org.planetarymesh.core.receipt.Canonical.cid(assign.payload()),
                    org.planetarymesh.core.receipt.OutputDigest.ofResult(result),
                    "completed",
                    now,
                    now,
                    new org.planetarymesh.core.receipt.ExecutionReceipt.Usage(1, 0, 0));
            return org.planetarymesh.core.receipt.ReceiptSigner.sign(List.of(receipt), signer())
                    .getFirst()
                    .toJson();
        }

        /** The base64 Ed25519 signature of {@code challenge}, as the first heartbeat carries it. */
        public String sign(String challenge) throws Exception {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(keys.getPrivate());
            s.update(challenge.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(s.sign());
        }
    }

    /** How the socket was closed: the server's status and reason, or -1 and the error. */
    public record Closed(int status, String reason) {}

    /** Completes once the socket is closed, by the server or by an error. */
    public final CompletableFuture<Closed> closed = new CompletableFuture<>();

    private final LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
    // When set, each decoded message goes here as it arrives instead of waiting in frames for next().
    private final Consumer<Message> listener;
    // Messages of a batch frame not yet handed out by next().
    private final ArrayDeque<Message> unread = new ArrayDeque<>();
    // Replaced by each liveness() call, so an old pong cannot answer a new ping.
    private volatile CompletableFuture<Void> pong = new CompletableFuture<>();
    private final WebSocket socket;

    private RawAgent(HttpClient http, String url, String token, Consumer<Message> listener) throws Exception {
        this.listener = listener;
        this.socket = http.newWebSocketBuilder()
                .header("Authorization", "Bearer " + token)
                .connectTimeout(Duration.ofSeconds(5))
                .buildAsync(connectUri(url), new Listener())
                .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Opens an agent socket to the plain-HTTP coordinator at {@code url} with {@code token}. */
    public static RawAgent connect(String url, String token) throws Exception {
        return new RawAgent(HTTP, url, token, null);
    }

    /** Opens an agent socket to {@code url} through {@code http} (e.g. a client set up for TLS). */
    public static RawAgent connect(HttpClient http, String url, String token) throws Exception {
        return new RawAgent(http, url, token, null);
    }

    /**
     * Opens an agent socket that hands every message the coordinator sends to {@code listener}, on the socket's thread,
     * as it arrives ({@link #next} then has nothing to read).
     */
    public static RawAgent listen(String url, String token, Consumer<Message> listener) throws Exception {
        return new RawAgent(HTTP, url, token, listener);
    }

    /** The HTTP status of the upgrade at {@code url}: 101 when the socket opened, else the refusal's status. */
    public static int upgradeStatus(String url, String token) throws Exception {
        var builder = HTTP.newWebSocketBuilder();
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        try {
            WebSocket ws = builder.buildAsync(connectUri(url), new WebSocket.Listener() {})
                    .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            ws.abort();
            return 101;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException h) {
                return h.getResponse().statusCode();
            }
            throw e;
        }
    }

    private static URI connectUri(String url) {
        return URI.create(url.replaceFirst("^http", "ws") + "/v1/agents/connect");
    }

    /** A hello named "raw" offering {@code echo} on 2 slots; {@code publicKey} null means keyless. */
    public static Message.Hello hello(String nodeId, String publicKey) {
        return hello(nodeId, "raw", List.of("echo"), 2, publicKey);
    }

    /** A hello for the {@code echo} job type with the given name, capabilities and slots. */
    public static Message.Hello hello(
            String nodeId, String name, List<String> capabilities, int maxConcurrent, String publicKey) {
        return new Message.Hello(
                nodeId,
                name,
                capabilities,
                List.of("echo"),
                List.of(),
                maxConcurrent,
                null,
                Map.of(),
                Map.of(),
                null,
                publicKey,
                List.of());
    }

    /** Sends hello, waits for welcome, signs the challenge with {@code signer} (null: no signature). */
    public Message.Welcome join(Message.Hello hello, Identity signer) throws Exception {
        send(hello);
        Message.Welcome welcome = awaitWelcome();
        send(new Message.Heartbeat(0, List.of(), 0, signer == null ? null : signer.sign(welcome.challenge())));
        return welcome;
    }

    /** Joins as {@code nodeId} claiming {@code claimed}'s key (null: none), signing with {@code signer}. */
    public Message.Welcome join(String nodeId, Identity claimed, Identity signer) throws Exception {
        return join(hello(nodeId, claimed == null ? null : claimed.publicKeyBase64()), signer);
    }

    /** Sends one message; throws if it cannot be written. */
    public void send(Message message) {
        sendText(CODEC.encode(message));
    }

    /** Sends one text frame; throws if it cannot be written. */
    public synchronized void sendText(String frame) {
        socket.sendText(frame, true)
                .orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS)
                .join();
    }

    /** Sends one message; false instead of an exception if the socket is closed or the write fails. */
    public boolean trySend(Message message) {
        return trySendText(CODEC.encode(message));
    }

    /** Sends one text frame; false if the socket is already closed (the server may close it mid-sequence). */
    public synchronized boolean trySendText(String frame) {
        if (isClosed()) {
            return false;
        }
        try {
            socket.sendText(frame, true).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** Sends one binary frame; false if the socket is already closed or the write fails. */
    public synchronized boolean trySendBinary(byte[] data) {
        if (isClosed()) {
            return false;
        }
        try {
            socket.sendBinary(ByteBuffer.wrap(data), true).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private boolean isClosed() {
        return closed.isDone() || socket.isOutputClosed();
    }

    /** The next decoded message, waiting at most 10 s; null if none came (or the socket closed). */
    public Message next() throws InterruptedException {
        return next(WAIT);
    }

    /** The next decoded message, waiting at most {@code wait}; null if none came (or the socket closed). */
    public Message next(Duration wait) throws InterruptedException {
        if (unread.isEmpty()) {
            String frame = frames.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
            if (frame == null) {
                return null;
            }
            // One frame may batch several messages; the rest wait in unread.
            unread.addAll(CODEC.decodeFrame(frame));
        }
        return unread.poll();
    }

    /** The next message, which must be the welcome. */
    public Message.Welcome awaitWelcome() throws InterruptedException {
        Message m = next();
        if (m instanceof Message.Welcome w) {
            return w;
        }
        throw new AssertionError("expected welcome, got " + m + " / closed " + closed.getNow(null));
    }

    /** How the socket was closed, waiting at most 10 s. */
    public Closed awaitClosed() throws Exception {
        return closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Not stuck: either the server closed the socket (with a status), or it still answers a ping within 10 s. Returns
     * "closed <status> <reason>" or "open"; throws if neither happens in time.
     */
    public String liveness() throws Exception {
        if (closed.isDone()) {
            return describeClose();
        }
        CompletableFuture<Void> awaited = new CompletableFuture<>();
        pong = awaited;
        sendPing();
        CompletableFuture.anyOf(awaited, closed).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        return closed.isDone() ? describeClose() : "open";
    }

    private synchronized void sendPing() {
        try {
            socket.sendPing(ByteBuffer.wrap(new byte[] {1})).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // Closed meanwhile: liveness() judges that by the close future.
        }
    }

    private String describeClose() throws Exception {
        Closed c = closed.get();
        return "closed " + c.status() + " " + c.reason();
    }

    @Override
    public void close() {
        socket.abort();
    }

    // Joins text fragments into whole frames and records pongs and the close.
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                if (listener == null) {
                    frames.add(partial.toString());
                } else {
                    CODEC.decodeFrame(partial.toString()).forEach(listener);
                }
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
