package org.planetarymesh.coordinator.api;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.planetarymesh.core.job.JobSpec;
import org.planetarymesh.core.job.Requirements;
import org.planetarymesh.core.job.Scope;
import org.planetarymesh.core.node.NodeInfo;
import org.planetarymesh.core.node.NodeStatus;

/**
 * Why no connected node could ever take a job, said at submit: the job is accepted (an agent that fits may join
 * later) but its 201 carries a warning instead of leaving it to wait in silence. Only what a node cannot change by
 * finishing work counts (type, capabilities, labels, resources, model, scope), as in the scheduler's eligibility
 * check; a busy node is fine. Stops at the first node that fits, so a job that fits costs one node's check.
 */
final class SubmitWarnings {

    /** How many nodes a warning names, so a large mesh gives a line, not a page. */
    private static final int NODES_NAMED = 3;

    private SubmitWarnings() {}

    /** The warnings for a job of {@code spec} on a mesh of {@code nodes}; empty when some node could take it. */
    static List<String> of(JobSpec spec, Collection<NodeInfo> nodes) {
        List<String> reasons = new ArrayList<>();
        int live = 0;
        // A verified job needs as many distinct nodes as it has replicas; any other job, one.
        int needed = spec.verify() == null ? 1 : spec.verify().replicas();
        int fit = 0;
        for (NodeInfo node : nodes) {
            if (node.status() == NodeStatus.DEAD) {
                continue;
            }
            live++;
            String why = rejection(spec, node);
            if (why == null && ++fit == needed) {
                return List.of();
            }
            if (why == null) {
                continue;
            }
            if (reasons.size() < NODES_NAMED) {
                reasons.add((node.name() == null ? node.id() : node.name()) + ": " + why);
            }
        }
        if (live == 0) {
            return List.of("no node is connected, so the job waits until one joins"
                    + " (start one with 'mesh agent --coordinator URL --token TOKEN', or use 'mesh up')");
        }
        if (fit > 0) {
            return List.of("only " + fit + " connected node" + (fit == 1 ? "" : "s") + " can run this job and verify"
                    + " needs " + needed + " distinct ones (verify.replicas), so its other replicas wait until more"
                    + " join");
        }
        String more = live - fit > reasons.size() ? "; and " + (live - fit - reasons.size()) + " more" : "";
        return List.of("no connected node can run this job, so it waits until one that can joins ("
                + String.join("; ", reasons) + more + ")");
    }

    private static String rejection(JobSpec spec, NodeInfo node) {
        if (!runsType(node, spec.type())) {
            return "does not run type " + spec.type() + " (it runs " + String.join(", ", node.executors()) + ")";
        }
        Requirements need = spec.requirements();
        for (String capability : need.capabilities()) {
            if (!node.capabilities().contains(capability) && !node.executors().contains(capability)) {
                return "missing capability " + capability;
            }
        }
        for (Map.Entry<String, String> label : need.labels().entrySet()) {
            if (!label.getValue().equals(node.labels().get(label.getKey()))) {
                return "label " + label.getKey() + "=" + label.getValue() + " not matched";
            }
        }
        if (!node.resources().covers(need.resources())) {
            return "has fewer resources than required";
        }
        if (need.model() != null && !node.models().contains(need.model())) {
            return "model " + need.model() + " not loaded";
        }
        boolean local = node.local();
        if (spec.scope() == Scope.LOCAL && !local) {
            return "scope LOCAL needs the coordinator's own agent";
        }
        if (spec.scope() == Scope.NETWORK && local) {
            return "scope NETWORK excludes the coordinator's own agent";
        }
        return null;
    }

    private static boolean runsType(NodeInfo node, String type) {
        return node.executors().contains(type)
                || node.capabilities().contains(type)
                || node.capabilities().contains("*");
    }
}
