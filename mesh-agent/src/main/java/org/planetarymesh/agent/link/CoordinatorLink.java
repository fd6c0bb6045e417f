package org.planetarymesh.agent.link;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.planetarymesh.agent.config.AgentConfig;
import org.planetarymesh.agent.identity.NodeIdentity;
import org.planetarymesh.agent.inference.InferenceReport;
import org.planetarymesh.agent.runner.JobRunner;
import org.planetarymesh.core.job.ErrorCode;
import org.planetarymesh.core.net.CoordinatorUrls;
import org.planetarymesh.core.protocol.FramePacker;
import org.planetarymesh.core.protocol.Message;
import org.planetarymesh.core.protocol.MessageCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's one WebSocket to the coordinator ({@code <coordinator>/v1/agents/connect}). The agent dials out so it
 * may sit behind NAT. Each session: {@code hello} (with the attempts still running), wait for {@code welcome}, a first
 * heartbeat signing the challenge; then the WebSocket's own thread handles {@code assign_job}, {@code job_cancel} and
 * {@code drain}, an {@link OutboxWriter} sends the {@link Outbox} as batch frames from whichever thread fills it, and a
 * timer thread adds heartbeats. When the connection drops, jobs go on, their messages wait in the outbox, and the link
 * redials with {@link Backoff} until {@link #close()}. What the hello and heartbeats say is {@link SelfReport}; what the
 * coordinator's messages do is {@link CoordinatorCommands}.
 */
public final class CoordinatorLink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorLink.class);
    private static final Duration WELCOME_WAIT = Duration.ofSeconds(10);
    private static final Duration SEND_WAIT = Duration.ofSeconds(10);
    private static final Duration MIN_SILENCE = Duration.ofSeconds(3);
    private static final long NEXT_COORDINATOR_MS = 50;
    private static final long MAX_ROUND_PAUSE_MS = 400;
    private static final String LEADER_HEADER = "X-Mesh-Leader";
    /** Most outbox messages put in one frame; bounds the encoding done per turn when a backlog builds up. */
    static final int MAX_BATCH = 256;

    private final AgentConfig config;
    private final NodeIdentity identity;
    private final Outbox outbox;
    private final SelfReport self;
    private final CoordinatorCommands commands;
    private final ReceiptSealer sealer;
    private final MessageCodec codec = new MessageCodec();
    private final HttpClient http;
    private final Backoff backoff;
    // Several coordinators (a leader and standbys): the one dialled now, and where to go when it fails.
    private final CoordinatorUrls coordinators;
    private final LinkFailures failuresLog;
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile boolean connected;
    private volatile WebSocket current;
    private volatile Thread loop;

    public CoordinatorLink(
            AgentConfig config, NodeIdentity identity, JobRunner runner, Outbox outbox, List<String> executors) {
        this(config, identity, runner, outbox, executors, InferenceReport.NONE);
    }

    /** A link whose hello and heartbeats also advertise {@code inference}'s models, capacity and speed. */
    public CoordinatorLink(
            AgentConfig config,
            NodeIdentity identity,
            JobRunner runner,
            Outbox outbox,
            List<String> executors,
            InferenceReport inference) {
        this(config, identity, runner, outbox, executors, inference, assignment -> {});
    }

    /** As above, also showing every assignment to {@code onAssign} before it runs (a peer link keeps its forward). */
    public CoordinatorLink(
            AgentConfig config,
            NodeIdentity identity,
            JobRunner runner,
            Outbox outbox,
            List<String> executors,
            InferenceReport inference,
            java.util.function.Consumer<Message.AssignJob> onAssign) {
        this.config = config;
        this.identity = identity;
        this.outbox = outbox;
        this.self = new SelfReport(config, identity, runner, outbox, executors, inference);
        this.sealer = new ReceiptSealer(identity, config.receiptBatch());
        this.commands = new CoordinatorCommands(
                runner,
                outbox,
                new org.planetarymesh.agent.bidding.Bidder(
                        config.bidding(), identity, runner::freeSlots, SelfReport.resources(config)),
                sealer,
                onAssign);
        this.backoff = new Backoff(Duration.ofMillis(100), config.reconnectMax());
        this.coordinators = CoordinatorUrls.parse(config.coordinator());
        this.failuresLog = new LinkFailures(config.coordinator());
        this.http = TlsOptions.httpClient(config);
    }

    /** The WebSocket URI for an http(s) coordinator base URL. */
    public static URI connectUri(String coordinator) {
        String ws = coordinator.replaceFirst("^http", "ws");
        return URI.create(ws + "/v1/agents/connect");
    }

    /** Dials in the background; returns at once. */
    public void start() {
        loop = Thread.ofVirtual().name("mesh-link").start(this::run);
    }

    /** Whether a session is up (welcome received, not yet lost). */
    public boolean connected() {
        return connected;
    }

    private boolean isClosed() {
        return closed.getCount() == 0;
    }

    private void run() {
        int failures = 0;
        // Runs for the agent's lifetime; each turn is one session or one failed dial followed by a capped delay.
        while (!isClosed()) {
            boolean welcomed = false;
            try {
                welcomed = session();
            } catch (InterruptedException e) {
                if (isClosed()) {
                    return;
                }
            } catch (Exception e) {
                failuresLog.failed(e, LOG);
            }
            failures = welcomed ? 0 : failures + 1;
            // With several coordinators, the next one is tried at once; the backoff grows per round of them all.
            int size = coordinators.size();
            // A leader is expected back within seconds (a standby takes over), so the rounds stay short.
            Duration delay = size == 1
                    ? backoff.delay(failures)
                    : failures % size != 0
                            ? Duration.ofMillis(NEXT_COORDINATOR_MS)
                            : min(backoff.delay(failures / size), Duration.ofMillis(MAX_ROUND_PAUSE_MS));
            try {
                if (closed.await(delay.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private boolean session() throws Exception {
        FrameListener listener = new FrameListener(codec, MessageCodec.DEFAULT_MAX_FRAME_BYTES);
        String url = coordinators.current();
        boolean several = coordinators.size() > 1;
        WebSocket ws;
        try {
            ws = http.newWebSocketBuilder()
                    .header("Authorization", "Bearer " + config.token())
                    .connectTimeout(Duration.ofSeconds(several ? 3 : 10))
                    .buildAsync(connectUri(url), listener)
                    .get(several ? 5 : 15, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            String leader = leaderNamedBy(e);
            if (leader != null) {
                coordinators.leaderIs(leader);
            } else {
                coordinators.failed(url);
            }
            throw e;
        }
        current = ws;
        OutboxWriter writer = null;
        Thread heartbeats = null;
        try {
            send(ws, self.hello());
            Greeting greeting = awaitWelcome(listener, ws);
            Message.Welcome welcome = greeting.welcome();
            String signature = welcome.challenge() == null ? null : identity.signChallenge(welcome.challenge());
            send(ws, self.heartbeat(signature));
            connected = true;
            failuresLog.connected();
            LOG.info(
                    "connected to coordinator {} as {} (connection {})",
                    url,
                    identity.nodeId(),
                    welcome.connectionId());
            Duration interval = welcome.heartbeatIntervalMs() > 0
                    ? Duration.ofMillis(welcome.heartbeatIntervalMs())
                    : config.heartbeatInterval();
            writer =
                    new OutboxWriter(ws, outbox, this::encodeWithinLimit, MAX_BATCH, sealer, welcome.compactReceipts());
            OutboxWriter w = writer;
            heartbeats = Thread.ofVirtual().name("mesh-link-heartbeat").start(() -> heartbeatLoop(ws, w, interval));
            receiveLoop(listener, ws, writer, greeting.following(), interval);
            return true;
        } finally {
            if (several) {
                coordinators.failed(url); // lost: it died, was paused or stepped down; try the next one first
            }
            connected = false;
            current = null;
            outbox.whenOffered(null);
            if (writer != null) {
                writer.stop();
            }
            if (heartbeats != null) {
                heartbeats.interrupt();
            }
            ws.abort();
        }
    }

    /** The welcome, and the messages that came after it in the same frame (handled once the session is up). */
    private record Greeting(Message.Welcome welcome, List<Message> following) {}

    private Greeting awaitWelcome(FrameListener listener, WebSocket ws) throws Exception {
        long until = System.nanoTime() + WELCOME_WAIT.toNanos();
        // Bounded by WELCOME_WAIT; messages before the welcome are not expected and are skipped.
        while (System.nanoTime() < until) {
            LinkEvent event = listener.next(Duration.ofMillis(200));
            if (event == null) {
                continue;
            }
            switch (event) {
                case LinkEvent.Frame f -> {
                    List<Message> messages = f.messages();
                    for (int i = 0; i < messages.size(); i++) {
                        if (messages.get(i) instanceof Message.Welcome w) {
                            // No request(1) here: receiveLoop asks for the next frame once it has handled the rest.
                            return new Greeting(w, List.copyOf(messages.subList(i + 1, messages.size())));
                        }
                        LOG.warn("expected welcome, got {}; ignored", messages.get(i));
                    }
                    ws.request(1);
                }
                case LinkEvent.Closed c -> throw new IllegalStateException("no welcome: " + c.reason());
                case LinkEvent.BadFrame b -> {
                    LOG.warn("expected welcome, got {}; ignored", b);
                    ws.request(1);
                }
            }
        }
        throw new IllegalStateException("no welcome within " + WELCOME_WAIT.toSeconds() + " s after hello");
    }

    private void receiveLoop(
            FrameListener listener, WebSocket ws, OutboxWriter writer, List<Message> afterWelcome, Duration interval)
            throws InterruptedException {
        Duration silenceLimit = silenceLimit(interval);
        handleFrame(writer, afterWelcome);
        // From here frames are handled on the WebSocket's thread; what waited in the outbox while away goes first.
        listener.deliverTo(messages -> handleFrame(writer, messages));
        outbox.whenOffered(writer::kick);
        writer.kick();
        ws.request(1);
        // Ends when the connection closes or the link is closed; each turn waits at most one second.
        while (!isClosed()) {
            LinkEvent event = listener.next(Duration.ofSeconds(1));
            if (event == null) {
                if (listener.silence().compareTo(silenceLimit) > 0) {
                    LOG.info(
                            "coordinator link lost: nothing heard for {} ms (not even a pong)",
                            listener.silence().toMillis());
                    return;
                }
                ws.sendPing(java.nio.ByteBuffer.allocate(0));
                continue;
            }
            switch (event) {
                case LinkEvent.Closed c -> {
                    LOG.info("coordinator link lost: {}", c.reason());
                    return;
                }
                case LinkEvent.BadFrame b -> LOG.warn("ignored a frame from the coordinator: {}", b.reason());
                case LinkEvent.Frame f -> handleFrame(writer, f.messages());
            }
            // One request per frame, after all of its messages: a batch counts as one frame for flow control.
            ws.request(1);
        }
    }

    /**
     * How long the coordinator may stay silent before the link counts as lost: a coordinator paused (SIGSTOP) keeps its
     * TCP connections open, so only silence shows it. Pings go out each second the link is idle.
     */
    static Duration silenceLimit(Duration heartbeatInterval) {
        Duration scaled = heartbeatInterval.multipliedBy(3);
        return scaled.compareTo(MIN_SILENCE) > 0 ? scaled : MIN_SILENCE;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** The leader a standby named when it refused the upgrade ({@code 307} with {@code X-Mesh-Leader}), or null. */
    private static String leaderNamedBy(Exception e) {
        Throwable cause = e.getCause();
        if (cause instanceof java.net.http.WebSocketHandshakeException handshake && handshake.getResponse() != null) {
            return handshake.getResponse().headers().firstValue(LEADER_HEADER).orElse(null);
        }
        return null;
    }

    /** Handles a frame's messages; what they queue (accepts, rejects) leaves together once all are handled. */
    private void handleFrame(OutboxWriter writer, List<Message> messages) {
        writer.hold();
        try {
            for (Message message : messages) {
                try {
                    commands.handle(message);
                } catch (RuntimeException e) {
                    LOG.warn(
                            "could not handle {} from the coordinator: {}",
                            message.getClass().getSimpleName(),
                            e.toString());
                }
            }
            commands.endOfFrame();
        } catch (RuntimeException e) {
            LOG.warn("could not answer the coordinator's announcements: {}", e.toString());
        } finally {
            writer.release();
        }
    }

    private void heartbeatLoop(WebSocket ws, OutboxWriter writer, Duration interval) {
        try {
            // Ends when interrupted at the end of the session.
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(interval);
                if (writer.stalledFor(SEND_WAIT)) {
                    throw new IllegalStateException("a frame has waited more than " + SEND_WAIT.toSeconds()
                            + " s to be written; the coordinator stopped reading");
                }
                writer.sendControl(encodeWithinLimit(self.heartbeat(null)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.info("heartbeat failed: {}", describe(e));
            ws.abort();
        }
    }

    private void send(WebSocket ws, Message message) throws Exception {
        sendFrame(ws, encodeWithinLimit(message));
    }

    // Only before the session's writer exists (hello, the signed heartbeat); from then on the writer sends.
    private void sendFrame(WebSocket ws, String frame) throws Exception {
        ws.sendText(frame, true).get(SEND_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    // A result too big for one frame would be refused by the coordinator and resent forever; report it instead.
    private String encodeWithinLimit(Message message) {
        String frame = codec.encode(message);
        if (message instanceof Message.JobDone done
                && !FramePacker.fitsAlone(frame, MessageCodec.DEFAULT_MAX_FRAME_BYTES - FramePacker.TRAILER_RESERVE)) {
            return codec.encode(new Message.JobError(
                    done.jobId(),
                    done.attempt(),
                    ErrorCode.RESULT_TOO_LARGE,
                    "the result of " + done.executor() + " is larger than one protocol frame ("
                            + MessageCodec.DEFAULT_MAX_FRAME_BYTES + " bytes); save large output to a file instead",
                    false,
                    0));
        }
        return frame;
    }

    private static String describe(Throwable e) {
        Throwable cause = e;
        // Bounded: cause chains are finite and short; stop at depth 10 regardless.
        for (int i = 0;
                i < 10 && (cause instanceof java.util.concurrent.ExecutionException) && cause.getCause() != null;
                i++) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null
                ? cause.getClass().getSimpleName()
                : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    /** Says goodbye to the coordinator if connected and stops redialling. */
    @Override
    public void close() {
        closed.countDown();
        WebSocket ws = current;
        if (ws != null) {
            try {
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "agent stopping").get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                // Closing anyway.
            }
            ws.abort();
        }
        Thread t = loop;
        if (t != null) {
            t.interrupt();
            try {
                t.join(Duration.ofSeconds(3));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
