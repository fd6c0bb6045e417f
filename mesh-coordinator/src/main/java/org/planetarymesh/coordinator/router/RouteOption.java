package org.planetarymesh.coordinator.router;

/**
 * One node as the router sees it: which kind of target it is ({@code local}, {@code fleet}, {@code peer}, see
 * {@link org.planetarymesh.core.job.RouteDecision}), and why it cannot take the job now, or null when it can.
 */
public record RouteOption(String nodeId, String target, String rejection) {

    /** Whether the node can take the job now. */
    public boolean open() {
        return rejection == null;
    }
}
