package org.planetarymesh.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.planetarymesh.agent.identity.NodeIdentity;
import org.planetarymesh.core.protocol.Message;
import org.planetarymesh.core.protocol.MessageCodec;

/**
 * Many lightweight agents in this JVM, one WebSocket each, speaking protocol v1: hello, a signed first heartbeat, then
 * heartbeats on the coordinator's interval; each {@code assign_job} of an {@code echo} job is answered with
 * {@code job_accepted} and {@code job_done} carrying the payload, as the real echo executor would.
 */
final class LightAgents implements AutoCloseable {

    private final MessageCodec codec = new MessageCodec();
    // Callbacks on the client's selector thread, as a real agent's link runs them (TlsOptions.httpClient).
    private final HttpClient http = HttpClient.newBuilder()
            .executor(Runnable::run)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final ScheduledExecutorService heartbeats = Executors.newScheduledThreadPool(
            1, Thread.ofPlatform().daemon().name("light-heartbeat").factory());
    private final List<LightAgent> agents = new ArrayList<>();
    private final AtomicLong jobsDone = new AtomicLong();

    /** Connects {@code count} agents, each with {@code maxConcurrent} slots, and waits for every welcome. */
    static LightAgents connect(int count, int maxConcurrent, String coordinatorUrl, String token)
            throws InterruptedException {
        LightAgents all = new LightAgents();
        URI uri = URI.create(coordinatorUrl.replaceFirst("^http", "ws") + "/v1/agents/connect");
        List<CompletableFuture<Void>> welcomed = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] seed = new byte[32];
            seed[0] = (byte) i;
            seed[1] = (byte) (i >> 8);
            seed[2] = (byte) (i >> 16);
            seed[31] = 42;
            LightAgent agent = all.new LightAgent(NodeIdentity.fromSeed(seed), "light-" + i, maxConcurrent, token);
            all.agents.add(agent);
            welcomed.add(agent.open(uri));
            if (i % 50 == 49) {
                Thread.sleep(20); // do not open a thousand TCP handshakes in one burst
            }
        }
        try {
            CompletableFuture.allOf(welcomed.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            all.close();
            throw new IllegalStateException("light agents could not all connect: " + e, e);
        }
        return all;
    }

    long jobsDone() {
        return jobsDone.get();
    }

    @Override
    public void close() {
        heartbeats.shutdownNow();
        for (LightAgent agent : agents) {
            agent.close();
        }
        http.close();
    }

    /** One connection: a single-writer send chain and a listener that joins text fragments into frames. */
    private final class LightAgent implements WebSocket.Listener {
        private final NodeIdentity identity;
        private final String name;
        private final int maxConcurrent;
        private final String token;
        private final CompletableFuture<Void> welcomed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        private CompletableFuture<?> sendChain = CompletableFuture.completedFuture(null);
        private volatile WebSocket ws;

        LightAgent(NodeIdentity identity, String name, int maxConcurrent, String token) {
            this.identity = identity;
            this.name = name;
            this.maxConcurrent = maxConcurrent;
            this.token = token;
        }

        CompletableFuture<Void> open(URI uri) {
            http.newWebSocketBuilder()
                    .header("Authorization", "Bearer " + token)
                    .buildAsync(uri, this)
                    .whenComplete((socket, error) -> {
                        if (error != null) {
                            welcomed.completeExceptionally(error);
                            return;
                        }
                        ws = socket;
                        send(new Message.Hello(
                                identity.nodeId(),
                                name,
                                List.of("echo"),
                                List.of("echo"),
                                List.of(),
                                maxConcurrent,
                                null,
                                Map.of("bench", "light"),
                                null,
                                token,
                                identity.publicKeyBase64(),
                                List.of()));
                    });
            return welcomed;
        }

        void send(Message message) {
            sendFrame(codec.encode(message));
        }

        synchronized void sendFrame(String frame) {
            sendChain = sendChain.thenCompose(ignored -> ws.sendText(frame, true));
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String frame = partial.toString();
                partial.setLength(0);
                onFrame(codec.decodeFrame(frame));
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            welcomed.completeExceptionally(error);
        }

        /**
         * Answers a frame's assignments the way an agent does under load: every result in one batch frame, with no
         * {@code job_accepted} for attempts whose result goes in the same frame.
         */
        private void onFrame(List<Message> messages) {
            List<Message> reports = new ArrayList<>();
            List<Integer> owed = new ArrayList<>();
            List<org.planetarymesh.core.receipt.ExecutionReceipt> receipts = new ArrayList<>();
            for (Message message : messages) {
                switch (message) {
                    case Message.Welcome w -> welcome(w);
                    case Message.AssignJob a -> {
                        if (a.specCid() != null) { // the coordinator wants a receipt: signed below, one per frame
                            owed.add(reports.size());
                            receipts.add(receipt(a));
                        }
                        reports.add(
                                new Message.JobDone(a.jobId(), a.attempt(), a.payload(), null, 0, "echo", null, null));
                        jobsDone.incrementAndGet();
                    }
                    default -> {}
                }
            }
            if (!receipts.isEmpty()) {
                var signed = org.planetarymesh.core.receipt.ReceiptSigner.sign(receipts, identity);
                for (int k = 0; k < owed.size(); k++) {
                    Message.JobDone d = (Message.JobDone) reports.get(owed.get(k));
                    reports.set(
                            owed.get(k),
                            new Message.JobDone(
                                    d.jobId(),
                                    d.attempt(),
                                    d.result(),
                                    null,
                                    0,
                                    "echo",
                                    null,
                                    signed.get(k).toJson()));
                }
            }
            if (!reports.isEmpty()) {
                sendFrame(codec.encodeBatch(reports));
            }
        }

        private org.planetarymesh.core.receipt.ExecutionReceipt receipt(Message.AssignJob a) {
            String now = java.time.Instant.now().toString();
            return new org.planetarymesh.core.receipt.ExecutionReceipt(
                    org.planetarymesh.core.receipt.ExecutionReceipt.VERSION,
                    a.jobId(),
                    a.specCid(),
                    a.attempt(),
                    identity.nodeId(),
                    org.planetarymesh.core.receipt.Canonical.cid(a.payload()),
                    org.planetarymesh.core.receipt.OutputDigest.ofResult(a.payload()),
                    "completed",
                    now,
                    now,
                    new org.planetarymesh.core.receipt.ExecutionReceipt.Usage(0, 0, 0));
        }

        private void welcome(Message.Welcome w) {
            send(new Message.Heartbeat(
                    0, List.of(), 0, w.challenge() == null ? null : identity.signChallenge(w.challenge())));
            long interval = Math.max(100, w.heartbeatIntervalMs());
            long offset = (long) (Math.random() * interval);
            heartbeats.scheduleAtFixedRate(
                    () -> send(new Message.Heartbeat(0, List.of(), 0, null)), offset, interval, TimeUnit.MILLISECONDS);
            welcomed.complete(null);
        }

        void close() {
            WebSocket socket = ws;
            if (socket != null) {
                socket.abort();
            }
        }
    }
}
