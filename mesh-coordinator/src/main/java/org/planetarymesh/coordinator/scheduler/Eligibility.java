package org.planetarymesh.coordinator.scheduler;

import java.util.Map;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.Requirements;
import org.planetarymesh.core.job.Resources;
import org.planetarymesh.core.job.Scope;

/**
 * The filters every placement policy applies before scoring: returns why a node cannot take a job, or null when it
 * can. The reasons are what {@code mesh job ID} shows under "why not placed".
 */
final class Eligibility {

    /** A node advertising this capability accepts any job type (its router has a fallback). */
    static final String ANY_TYPE = "*";

    /** The label that names a node by its id. */
    static final String NODE_LABEL = "mesh.node";

    /** The one rejection that passes with time alone: the node is capable, just busy. */
    static final String NO_FREE_SLOT = "no free slot";

    /** Also passes with time: the node has the resources, but its running jobs hold them. */
    static final String RESERVED = "resources reserved by running jobs";

    private Eligibility() {}

    /** Whether a rejection lifts by itself once the node finishes work (a slot or reserved resources come free). */
    static boolean passesWithTime(String why) {
        return why.equals(NO_FREE_SLOT) || why.startsWith(RESERVED);
    }

    private static String describe(Resources r) {
        return r.cpu() + " cpu, " + r.memoryMb() + " MB, " + r.gpus() + " gpus";
    }

    static String rejection(Job job, NodeState node) {
        if (!node.acceptsWork()) {
            return node.draining ? "draining" : "node " + node.status.name().toLowerCase();
        }
        Requirements need = job.spec().requirements();
        if (!supportsType(node, job.spec().type())) {
            return "does not run type " + job.spec().type();
        }
        for (String capability : need.capabilities()) {
            if (!node.hello.capabilities().contains(capability)
                    && !node.hello.executors().contains(capability)) {
                return "missing capability " + capability;
            }
        }
        for (Map.Entry<String, String> label : need.labels().entrySet()) {
            if (!label.getValue().equals(labelOf(node, label.getKey()))) {
                return "label " + label.getKey() + "=" + label.getValue() + " not matched";
            }
        }
        if (!node.hello.resources().covers(need.resources())) {
            return "insufficient resources";
        }
        if (need.model() != null && !node.models().contains(need.model())) {
            return "model " + need.model() + " not loaded";
        }
        // Bound to the proven identity on the link, never to a label the node sends about itself.
        boolean local = node.link.local();
        if (job.spec().scope() == Scope.LOCAL && !local) {
            return "scope LOCAL needs the coordinator's own agent";
        }
        if (job.spec().scope() == Scope.NETWORK && local) {
            return "scope NETWORK excludes the coordinator's own agent";
        }
        String hops = RouteStep.hopLimit(job, node);
        if (hops != null) {
            return hops;
        }
        if (node.freeSlots() == 0) {
            return NO_FREE_SLOT;
        }
        if (!need.resources().equals(Resources.NONE)) {
            Resources free = node.unreserved();
            if (!free.covers(need.resources())) {
                return RESERVED + " (free now: " + describe(free) + ")";
            }
        }
        return null;
    }

    /**
     * A node's label; {@value #NODE_LABEL} is its proven id, so a job can be bound to one node (a purchase runs on
     * its seller's node) by what the node proved, never by a label it sends about itself.
     */
    private static String labelOf(NodeState node, String key) {
        return key.equals(NODE_LABEL) ? node.id : node.hello.labels().get(key);
    }

    private static boolean supportsType(NodeState node, String type) {
        return node.hello.executors().contains(type)
                || node.hello.capabilities().contains(type)
                || node.hello.capabilities().contains(ANY_TYPE);
    }
}
