package org.planetarymesh.core.node;

/**
 * A node's health as the coordinator sees it from heartbeats: HEALTHY → SUSPECT → DEAD. A healthy node that was asked
 * to drain, or said it is stopping, is DRAINING: it finishes its jobs and gets no new ones.
 */
public enum NodeStatus {
    HEALTHY,
    DRAINING,
    SUSPECT,
    DEAD
}
