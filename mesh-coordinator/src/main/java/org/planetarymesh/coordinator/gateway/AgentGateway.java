package org.planetarymesh.coordinator.gateway;

import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.planetarymesh.coordinator.auth.AgentProof;
import org.planetarymesh.coordinator.auth.Principal;
import org.planetarymesh.coordinator.receipt.FrameReceipts;
import org.planetarymesh.coordinator.scheduler.Scheduler;
import org.planetarymesh.core.protocol.Message;
import org.planetarymesh.core.protocol.MessageCodec;
import org.planetarymesh.core.protocol.ProtocolException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's end of {@code /v1/agents/connect}: turns frames into scheduler events. The first frame must be a
 * {@code hello}; the answer is a {@code welcome} with the heartbeat interval and a challenge. Malformed frames are
 * counted and dropped; a connection that keeps sending them is closed, so a broken or hostile agent cannot wedge
 * anything.
 */
public final class AgentGateway {

    private static final Logger LOG = LoggerFactory.getLogger(AgentGateway.class);

    /** Bad frames tolerated on one connection before it is closed. */
    static final int MAX_BAD_FRAMES = 100;

    private final Scheduler scheduler;
    private final MessageCodec codec;
    private final HeartbeatPacing pacing;
    private final boolean requireAgentKey;
    private final Set<String> localNodes;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();
    // Joined connections by node id: the one each node id is known by now.
    private final Map<String, Connection> joined = new ConcurrentHashMap<>();
    private final Duration suspectAfter;

    public AgentGateway(Scheduler scheduler, MessageCodec codec, HeartbeatPacing pacing) {
        this(scheduler, codec, pacing, false);
    }

    /**
     * @param requireAgentKey whether an agent without an Ed25519 key is refused; when false, such an agent may still
     *     join under a node id that is not a did:key (a did:key id always needs its key)
     */
    public AgentGateway(Scheduler scheduler, MessageCodec codec, HeartbeatPacing pacing, boolean requireAgentKey) {
        this(scheduler, codec, pacing, requireAgentKey, Set.of(), Duration.ofMillis(2_500));
    }

    /**
     * @param localNodes node ids (did:key) whose agents, once they prove the key, are the coordinator's own and take
     *     scope-LOCAL jobs ({@link NodeLink#local()})
     * @param suspectAfter silence (scaled by a connection's heartbeat interval) after which a node's connection may be
     *     replaced by a new one with the same node id; before it, the newcomer is refused
     */
    public AgentGateway(
            Scheduler scheduler,
            MessageCodec codec,
            HeartbeatPacing pacing,
            boolean requireAgentKey,
            Set<String> localNodes,
            Duration suspectAfter) {
        this.localNodes = Set.copyOf(localNodes);
        this.suspectAfter = suspectAfter;
        this.scheduler = scheduler;
        this.codec = codec;
        this.pacing = pacing;
        this.requireAgentKey = requireAgentKey;
    }

    /** Agent WebSocket links open now, joined or still proving their key. */
    public int openLinks() {
        return connections.size();
    }

    /** Installs the WebSocket handlers. */
    public void configure(WsConfig ws) {
        ws.onConnect(ctx -> {
            ctx.session.setIdleTimeout(pacing.longest().multipliedBy(3));
            Principal principal = ctx.attribute(Principal.ATTRIBUTE);
            connections.put(
                    ctx.sessionId(),
                    new Connection(
                            ctx.sessionId(),
                            new WebSocketLink(ctx, codec),
                            principal == null ? null : principal.tokenId()));
        });
        ws.onMessage(ctx -> onFrame(ctx, ctx.message()));
        ws.onClose(ctx -> onClose(ctx));
        ws.onError(ctx -> LOG.debug("agent connection error: {}", String.valueOf(ctx.error())));
    }

    private void onFrame(WsContext ctx, String frame) {
        Connection connection = connections.get(ctx.sessionId());
        if (connection == null) {
            return;
        }
        connection.lastFrameNanos = System.nanoTime();
        List<Message> messages;
        try {
            messages = codec.decodeFrame(frame);
        } catch (ProtocolException e) {
            if (connection.nodeId == null || MessageCodec.HELLO_IN_BATCH.equals(e.code())) {
                // Before the node is known there is no work to protect by tolerance, and a hello in a batch would
                // skip the rule that it travels alone ahead of the key proof: either way the peer is refused.
                LOG.warn("refused agent connection from {}: {}", connection.link.address(), e.getMessage());
                connection.link.closeForProtocolError(e.getMessage());
                return;
            }
            connection.badFrames++;
            LOG.debug("dropped a bad frame from {}: {} ({})", connection.link.address(), e.getMessage(), e.code());
            if (connection.badFrames > MAX_BAD_FRAMES) {
                connection.link.close("too many malformed frames");
            }
            return;
        }
        if (connection.nodeId == null) {
            // Until the node is known, one message per frame: hello, then (for a keyed agent) the signed heartbeat.
            if (messages.size() != 1) {
                connection.link.close("the first frames must be hello and the signed heartbeat, one per frame");
            } else if (connection.pending != null) {
                provePossession(connection, messages.getFirst());
            } else if (messages.getFirst() instanceof Message.Hello hello) {
                onHello(connection, hello);
            } else {
                connection.link.close("the first frame must be hello");
            }
            return;
        }
        List<Message> reports = new ArrayList<>(messages.size());
        for (Message message : messages) {
            if (message instanceof Message.Hello) {
                connection.badFrames++; // a second hello on one connection means nothing; ignore it
            } else {
                if (message instanceof Message.JobBid bid && connection.publicKey != null) {
                    // Verified here, on this connection's thread, so the scheduler thread does no cryptography.
                    scheduler.bidVerifier().precheck(connection.nodeId, connection.publicKey, bid);
                }
                if (!(message instanceof Message.ReceiptBatch)) { // checked below with the results it signs
                    reports.add(message);
                }
            }
        }
        if (!reports.isEmpty()) {
            // Receipt signatures are checked here, on the connection's thread, not on the scheduler's.
            scheduler.fromNode(
                    connection.nodeId,
                    connection.link,
                    reports,
                    connection.receipts.check(connection.nodeId, connection.publicKey, messages));
        }
    }

    /**
     * Answers a hello with a welcome. An agent that sent a key must first prove it (its first heartbeat signs the
     * challenge) before the scheduler hears of the node, so an unproven node is never given work.
     */
    private void onHello(Connection connection, Message.Hello hello) {
        String challenge = newChallenge();
        boolean keyed = hello.publicKey() != null && !hello.publicKey().isBlank();
        if (keyed) {
            try {
                connection.publicKey = AgentProof.keyFor(hello.nodeId(), hello.publicKey());
            } catch (IllegalArgumentException e) {
                refuse(connection, hello.nodeId(), e.getMessage());
                return;
            }
        } else if (AgentProof.isDidKey(hello.nodeId())) {
            refuse(connection, hello.nodeId(), "a did:key node id needs hello.public_key and a signed challenge");
            return;
        } else if (requireAgentKey) {
            refuse(connection, hello.nodeId(), "this coordinator requires agents to prove an Ed25519 key (did:key)");
            return;
        }
        if (refusedAsDuplicate(connection, hello.nodeId())) {
            return; // after the key checks, so an impostor hears what is wrong with its claim
        }
        connection.heartbeatInterval = pacing.intervalFor(connections.size());
        connection.link.send(new Message.Welcome(
                UUID.randomUUID().toString(),
                hello.nodeId(),
                connection.heartbeatInterval.toMillis(),
                challenge,
                true));
        if (keyed) {
            connection.pending = hello;
            connection.challenge = challenge;
            return;
        }
        if (!register(connection, hello.nodeId())) {
            return;
        }
        scheduler.nodeConnected(connection.link, hello, connection.heartbeatInterval);
    }

    private void provePossession(Connection connection, Message message) {
        Message.Hello hello = connection.pending;
        if (!(message instanceof Message.Heartbeat heartbeat)
                || !AgentProof.verifies(connection.publicKey, connection.challenge, heartbeat.signature())) {
            refuse(
                    connection,
                    hello.nodeId(),
                    "the first frame after welcome must be a heartbeat signing the challenge with hello.public_key");
            return;
        }
        connection.pending = null;
        connection.challenge = null;
        if (!register(connection, hello.nodeId())) {
            return;
        }
        if (localNodes.contains(hello.nodeId())) {
            connection.link.markLocal(); // proven just now: a did:key is its key
        }
        scheduler.nodeConnected(connection.link, hello, connection.heartbeatInterval);
        scheduler.fromNode(connection.nodeId, connection.link, heartbeat);
    }

    /**
     * One connection per node id. Two processes with one identity (say two agents started on one data dir) would
     * otherwise replace each other on every reconnect, about ten times a second, forever. The connection that is
     * established stays; a newcomer is refused unless the established one has been silent past the suspect limit
     * (then it is presumed half-open, and the newcomer replaces it, as a reconnect after a network cut must).
     */
    private boolean refusedAsDuplicate(Connection connection, String nodeId) {
        Connection established = joined.get(nodeId);
        if (established == null || established == connection || !alive(established)) {
            return false;
        }
        LOG.warn(
                "refused agent {} from {}: it is already connected from {}; two agents seem to share one identity"
                        + " (one data dir)",
                nodeId,
                connection.link.address(),
                established.link.address());
        connection.link.close("refused: this node id is already connected (from " + established.link.address()
                + "); two agents share one identity (data dir)");
        return true;
    }

    /** Makes {@code connection} the one {@code nodeId} is known by, unless a live one got there first (refused). */
    private boolean register(Connection connection, String nodeId) {
        Connection winner =
                joined.compute(nodeId, (id, current) -> current == null || !alive(current) ? connection : current);
        if (winner != connection) {
            if (!refusedAsDuplicate(connection, nodeId)) {
                connection.link.close("refused: another connection took this node id at the same moment; retry");
            }
            return false;
        }
        connection.nodeId = nodeId;
        return true;
    }

    /** Whether {@code c} is open and was heard from within its suspect limit. */
    private boolean alive(Connection c) {
        if (!connections.containsKey(c.sessionId)) {
            return false;
        }
        double scale = c.heartbeatInterval == null
                ? 1.0
                : Math.max(
                        1.0,
                        c.heartbeatInterval.toMillis() / (double) pacing.base().toMillis());
        long limitNanos = (long) (suspectAfter.toNanos() * scale);
        return System.nanoTime() - c.lastFrameNanos <= limitNanos;
    }

    private static void refuse(Connection connection, String nodeId, String reason) {
        LOG.warn("refused agent {} from {}: {}", nodeId, connection.link.address(), reason);
        connection.link.close("refused: " + reason);
    }

    /**
     * Closes every agent socket opened with the token {@code tokenId}: a token is checked at the upgrade only, so
     * without this a revoked token's agents would stay connected (and keep taking work) until they next redial.
     */
    public void tokenRevoked(String tokenId) {
        for (Connection connection : connections.values()) {
            if (tokenId.equals(connection.tokenId)) {
                LOG.info(
                        "closing agent {} from {}: its token {} was revoked",
                        connection.nodeId,
                        connection.link.address(),
                        tokenId);
                connection.link.close("the token this agent connected with was revoked");
            }
        }
    }

    private void onClose(WsContext ctx) {
        Connection connection = connections.remove(ctx.sessionId());
        if (connection == null) {
            return;
        }
        connection.link.stopSender();
        if (connection.nodeId != null) {
            joined.remove(connection.nodeId, connection);
            scheduler.nodeDisconnected(connection.nodeId, connection.link);
        }
    }

    private String newChallenge() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Per-connection state; touched only by the connection's own (serialised) callbacks, but for lastFrameNanos. */
    private static final class Connection {
        final String sessionId;
        final WebSocketLink link;
        final String tokenId; // of the token the upgrade presented; null if unknown
        String nodeId;
        int badFrames;
        Message.Hello pending;
        String challenge;
        byte[] publicKey;
        Duration heartbeatInterval; // told in the welcome
        final FrameReceipts receipts = new FrameReceipts();
        volatile long lastFrameNanos = System.nanoTime(); // read by other connections' callbacks

        Connection(String sessionId, WebSocketLink link, String tokenId) {
            this.sessionId = sessionId;
            this.link = link;
            this.tokenId = tokenId;
        }
    }
}
