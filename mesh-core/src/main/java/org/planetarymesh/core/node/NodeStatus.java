package org.planetarymesh.core.node;

/** A node's health as the coordinator sees it from heartbeats: HEALTHY → SUSPECT → DEAD. */
public enum NodeStatus {
    HEALTHY,
    SUSPECT,
    DEAD
}
