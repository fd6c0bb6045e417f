package org.planetarymesh.coordinator.gateway;

import org.planetarymesh.core.protocol.Message;

/**
 * How the scheduler reaches a node: over its WebSocket, or by HTTP push to its {@code /execute}. Sending never
 * blocks the caller.
 */
public interface NodeLink {

    /** Queues {@code message} for the node; it is written soon, unless the link is held. */
    void send(Message message);

    /**
     * Holds writes back until {@link #release()}, so messages sent meanwhile share one frame (the scheduler holds a
     * link for the rest of its loop turn once it sends to it). Holds nest.
     */
    default void hold() {}

    /** Ends one {@link #hold()} and writes what queued meanwhile. */
    default void release() {}

    /**
     * Whether the node on this link is the coordinator's own (scope LOCAL): true only for an agent that proved the key
     * of a node id the coordinator was configured with, never for what a node says about itself.
     */
    default boolean local() {
        return false;
    }

    /** Closes the link (a replaced or dead connection). */
    void close(String reason);

    /** {@code websocket} or {@code push}. */
    String mode();

    /** Where the node is reached (remote address or push URL), for display. */
    String address();
}
