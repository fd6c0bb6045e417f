package org.planetarymesh.coordinator.scheduler;

import org.planetarymesh.core.node.NodeInfo;
import org.planetarymesh.core.protocol.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An operator's undrain and removal of nodes (docs/adr/0067), on the scheduler thread. Undrain lifts a drain the
 * coordinator asked for, never one the agent declared because it is stopping. Removal forgets a node that is no longer
 * connected (its jobs are retried elsewhere at once rather than after {@code dead_after_ms}), or a push-mode node that
 * runs nothing; a connected agent is refused, since it would rejoin at once: stop it first, or drain it.
 */
final class NodeAdmin {

    private static final Logger LOG = LoggerFactory.getLogger(NodeAdmin.class);

    private final NodeRegistry nodes;
    private final NodeLifecycle lifecycle;
    private final ReadyQueue ready;
    private final SchedulerClock clock;

    NodeAdmin(NodeRegistry nodes, NodeLifecycle lifecycle, ReadyQueue ready, SchedulerClock clock) {
        this.nodes = nodes;
        this.lifecycle = lifecycle;
        this.ready = ready;
        this.clock = clock;
    }

    NodeAdminOutcome undrain(String nodeId) {
        NodeState node = nodes.get(nodeId);
        if (node == null) {
            return nodes.viewOf(nodeId)
                    .<NodeAdminOutcome>map(dead -> new NodeAdminOutcome.Refused("node " + nodeId
                            + " is DEAD; it takes jobs again when its agent reconnects (or remove it:"
                            + " DELETE /v1/nodes/" + nodeId + ")"))
                    .orElse(new NodeAdminOutcome.NotFound(nodeId));
        }
        if (node.agentStopping) {
            return new NodeAdminOutcome.Refused("node " + nodeId
                    + " is draining because its agent is shutting down; start the agent again instead");
        }
        if (!node.draining) {
            return new NodeAdminOutcome.Refused(
                    "node " + nodeId + " is not draining (it is " + node.info().status() + "); nothing to undrain");
        }
        node.draining = false;
        nodes.send(node, new Message.Undrain("coordinator asked to take jobs again"));
        nodes.recountFreeSlots();
        nodes.publish(node);
        ready.unpark();
        LOG.info("node {} takes jobs again (undrained)", nodeId);
        return new NodeAdminOutcome.Done(node.info());
    }

    NodeAdminOutcome remove(String nodeId) {
        NodeState node = nodes.get(nodeId);
        if (node == null) {
            return nodes.forget(nodeId) ? new NodeAdminOutcome.Done(null) : new NodeAdminOutcome.NotFound(nodeId);
        }
        boolean push = "push".equals(node.link.mode());
        if (node.connected && !push) {
            return new NodeAdminOutcome.Refused(
                    "node " + nodeId + " is connected (" + node.info().status()
                            + ") and would rejoin at once; stop its agent first, then remove it (to stop sending it jobs now,"
                            + " drain it: POST /v1/nodes/" + nodeId + "/drain)");
        }
        if (push && node.connected && !node.running.isEmpty()) {
            return new NodeAdminOutcome.Refused("push node " + nodeId + " runs " + node.running.size()
                    + " jobs; drain it (POST /v1/nodes/" + nodeId + "/drain) and remove it once they finish");
        }
        NodeInfo before = node.info();
        node.link.close("removed by an operator");
        lifecycle.remove(node, clock.millis());
        nodes.forget(nodeId);
        LOG.info("node {} ({}) removed by an operator", nodeId, before.status());
        return new NodeAdminOutcome.Done(null);
    }
}
