package org.planetarymesh.coordinator.scheduler;

import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.planetarymesh.coordinator.gateway.NodeLink;
import org.planetarymesh.core.node.NodeInfo;
import org.planetarymesh.core.protocol.Message;

/**
 * The nodes the scheduler can reach: their state, the mesh's total of free slots, the read-only view other threads
 * see ({@code GET /v1/nodes}), and the links sent to during the current loop turn.
 */
final class NodeRegistry {

    private final Map<String, NodeState> nodes = new LinkedHashMap<>();
    // The same nodes in join order as a list for the placer, copied whenever a node joins or leaves.
    private List<NodeState> placementOrder = List.of();
    private int freeSlots;
    // Links sent to in the current loop turn, held until its end so each gets one frame (see releaseLinks).
    private final Set<NodeLink> heldLinks = Collections.newSetFromMap(new IdentityHashMap<>());

    // --- published for other threads ---
    private final Map<String, NodeInfo> view = new ConcurrentHashMap<>();
    // Nodes declared dead, and when (monotonic ms): their entry leaves the view once the retention has passed.
    private final Map<String, Long> deadSince = new LinkedHashMap<>();

    NodeState get(String id) {
        return id == null ? null : nodes.get(id);
    }

    Collection<NodeState> all() {
        return nodes.values();
    }

    /** The nodes in join order, as the placer scans them. */
    List<NodeState> placementOrder() {
        return placementOrder;
    }

    void add(NodeState node) {
        nodes.put(node.id, node);
        deadSince.remove(node.id);
        placementOrder = List.copyOf(nodes.values());
    }

    /** {@code node} was declared dead at {@code nowMillis}: it leaves placement, and the view after the retention. */
    void removeDead(NodeState node, long nowMillis) {
        nodes.remove(node.id);
        placementOrder = List.copyOf(nodes.values());
        deadSince.put(node.id, nowMillis);
        publish(node);
    }

    /** Drops from the view the nodes dead since before {@code cutoffMillis}. */
    void forgetDeadBefore(long cutoffMillis) {
        for (Iterator<Map.Entry<String, Long>> it = deadSince.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Long> dead = it.next();
            if (dead.getValue() > cutoffMillis) {
                return; // in order of death: the rest died later
            }
            view.remove(dead.getKey());
            it.remove();
        }
    }

    /** Forgets {@code id} at once: gone from placement and from the view; false if it was not known at all. */
    boolean forget(String id) {
        NodeState node = nodes.remove(id);
        if (node != null) {
            placementOrder = List.copyOf(nodes.values());
        }
        deadSince.remove(id);
        return view.remove(id) != null || node != null;
    }

    /** Sends on the node's link, holding the link until the turn ends so the turn's messages share one frame. */
    void send(NodeState node, Message message) {
        if (heldLinks.add(node.link)) {
            node.link.hold();
        }
        node.link.send(message);
    }

    /** Ends the turn's holds: each link sent to writes its messages now, as one frame. */
    void releaseLinks() {
        heldLinks.forEach(NodeLink::release);
        heldLinks.clear();
    }

    int freeSlots() {
        return freeSlots;
    }

    /** A job was placed on a node that accepts work. */
    void takeSlot(NodeState node, String jobId) {
        node.running.add(jobId);
        freeSlots--;
    }

    /** {@code jobId} no longer runs on {@code node}: adjusts the free-slot total without visiting every node. */
    void freeSlot(NodeState node, String jobId) {
        int before = node.acceptsWork() ? node.freeSlots() : 0;
        if (node.running.remove(jobId) && node.acceptsWork()) {
            freeSlots += node.freeSlots() - before;
        }
    }

    void recountFreeSlots() {
        int free = 0;
        for (NodeState node : nodes.values()) {
            if (node.acceptsWork()) {
                free += node.freeSlots();
            }
        }
        freeSlots = free;
    }

    void publish(NodeState node) {
        view.put(node.id, node.info());
    }

    Collection<NodeInfo> view() {
        return view.values();
    }

    Optional<NodeInfo> viewOf(String id) {
        return Optional.ofNullable(view.get(id));
    }
}
