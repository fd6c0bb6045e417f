package org.planetarymesh.core.job;

import java.util.List;

/**
 * The router's decision for a job, above the node-level placement: which kind of target runs it (this mesh's own
 * machine, another node of the fleet, or a peer mesh), why, and the routes it did not take with why not.
 *
 * <p>{@code target} is null when no route is open yet (the job waits); {@code reasoning} then says what closed each.
 */
public record RouteDecision(String target, String reasoning, List<Alternative> alternativeRoutes) {

    /** The coordinator's own machine: its embedded agent or a node the operator named local. */
    public static final String LOCAL = "local";

    /** Any other node of this mesh. */
    public static final String FLEET = "fleet";

    /** Another mesh that joined this one as a node (a peer link). */
    public static final String PEER = "peer";

    public RouteDecision {
        alternativeRoutes = alternativeRoutes == null ? List.of() : List.copyOf(alternativeRoutes);
    }

    /** A route not taken: its target kind, the nodes of that kind considered, and why it was not taken. */
    public record Alternative(String target, List<String> nodes, String whyNot) {
        public Alternative {
            nodes = nodes == null ? List.of() : List.copyOf(nodes);
        }
    }
}
