package org.planetarymesh.coordinator.scheduler;

import org.planetarymesh.core.node.NodeInfo;

/** The answer to an operator's request about a node: undrain or remove. */
public sealed interface NodeAdminOutcome {
    /** Done; {@code node} is the node as it is now (null once removed). */
    record Done(NodeInfo node) implements NodeAdminOutcome {}

    /** The node's state does not allow it; {@code why} says which state and what to do. */
    record Refused(String why) implements NodeAdminOutcome {}

    /** No node has that id. */
    record NotFound(String nodeId) implements NodeAdminOutcome {}
}
