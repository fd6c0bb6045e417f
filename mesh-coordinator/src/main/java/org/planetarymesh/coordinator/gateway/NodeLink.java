package org.planetarymesh.coordinator.gateway;

import org.planetarymesh.core.protocol.Message;

/**
 * How the scheduler reaches a node: over its WebSocket, or by HTTP push to its {@code /execute}. Sending never
 * blocks the caller; frames are queued and written by the link's own thread.
 */
public interface NodeLink {

    /** Queues {@code message} for the node. */
    void send(Message message);

    /** Closes the link (a replaced or dead connection). */
    void close(String reason);

    /** {@code websocket} or {@code push}. */
    String mode();

    /** Where the node is reached (remote address or push URL), for display. */
    String address();
}
