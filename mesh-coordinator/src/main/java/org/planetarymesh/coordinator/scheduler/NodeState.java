package org.planetarymesh.coordinator.scheduler;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.planetarymesh.coordinator.gateway.NodeLink;
import org.planetarymesh.core.node.ModelState;
import org.planetarymesh.core.node.NodeInfo;
import org.planetarymesh.core.node.NodeStatus;
import org.planetarymesh.core.protocol.Message;

/** What the scheduler knows about one node. Owned by the scheduler thread; never shared. */
final class NodeState {
    final String id;
    final Message.Hello hello;
    final NodeLink link;
    final Instant connectedAt;
    final Set<String> running = new HashSet<>();
    final Reservations reservations = new Reservations();
    NodeStatus status = NodeStatus.HEALTHY;
    long lastSeenMillis; // monotonic
    Instant lastHeartbeatAt;
    boolean reconciled;
    boolean draining; // asked to drain, or said it is stopping: it finishes its jobs but gets no new ones
    boolean agentStopping; // the agent said it is shutting down: no undrain lifts that
    boolean connected = true;
    double load;
    double silenceScale = 1.0; // its heartbeat interval over the configured one
    // Its standing offer: price per job type ("*": any type) and how many jobs it takes at those prices now.
    java.util.Map<String, Long> offerPrices;
    int offerSlots;
    // What it last advertised for inference: in its hello, then in every heartbeat.
    List<ModelState> modelStates;
    int maxInference;
    int queueDepth;
    double tokensPerSecond;

    NodeState(String id, Message.Hello hello, NodeLink link, Instant now, long nowMillis) {
        this.id = id;
        this.hello = hello;
        this.link = link;
        this.connectedAt = now;
        this.lastHeartbeatAt = now;
        this.lastSeenMillis = nowMillis;
        this.offerPrices = hello.prices();
        this.offerSlots = hello.prices().isEmpty() ? 0 : hello.maxConcurrent();
        this.modelStates = hello.modelStates();
        this.maxInference = hello.maxInference();
        this.queueDepth = hello.queueDepth();
        this.tokensPerSecond = hello.tokensPerSecond();
    }

    /** The node's standing price for {@code type} (or for any type), or null when it offers none. */
    Long standingPrice(String type) {
        if (offerPrices.isEmpty() || offerSlots <= 0) {
            return null;
        }
        Long price = offerPrices.get(type);
        return price != null ? price : offerPrices.get("*");
    }

    /**
     * The models it serves now: those of its latest model states, or, from a node whose hello named models without
     * states (it does not report them as they change), its hello's list.
     */
    List<String> models() {
        boolean reportsStates = !hello.modelStates().isEmpty() || hello.models().isEmpty();
        return reportsStates ? modelStates.stream().map(ModelState::id).toList() : hello.models();
    }

    /** Takes the inference figures a heartbeat carries (the whole model list each time). */
    void advertised(Message.Heartbeat hb) {
        modelStates = hb.modelStates();
        maxInference = hb.maxInference();
        queueDepth = hb.queueDepth();
        tokensPerSecond = hb.tokensPerSecond();
    }

    int freeSlots() {
        return Math.max(0, hello.maxConcurrent() - running.size());
    }

    /** Its advertised resources less what its running jobs reserved. */
    org.planetarymesh.core.job.Resources unreserved() {
        return reservations.free(hello.resources(), running);
    }

    boolean acceptsWork() {
        return status == NodeStatus.HEALTHY && connected && !draining;
    }

    NodeInfo info() {
        return new NodeInfo(
                id,
                hello.name(),
                link.mode(),
                link.address(),
                draining && status == NodeStatus.HEALTHY ? NodeStatus.DRAINING : status,
                hello.capabilities(),
                hello.executors(),
                models(),
                hello.maxConcurrent(),
                running.size(),
                hello.resources(),
                hello.labels(),
                connectedAt,
                lastHeartbeatAt,
                link.local(),
                modelStates,
                maxInference,
                queueDepth,
                tokensPerSecond);
    }
}
