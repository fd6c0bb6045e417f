package org.planetarymesh.coordinator.scheduler;

import java.time.Instant;
import java.util.List;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.protocol.Message;

/**
 * What a {@link Placer} sees and may do while it decides: the nodes in join order, the time, and sending to a node
 * (an auction's announcement). One instance, refreshed by the {@link Dispatcher} at each loop turn, so offering a job
 * allocates nothing for it.
 */
final class PlacementContext {

    private final NodeRegistry nodes;
    private final JobTable jobs;
    private final SchedulerClock clock;
    private Instant now;
    private long nowMillis;

    PlacementContext(NodeRegistry nodes, JobTable jobs, SchedulerClock clock) {
        this.nodes = nodes;
        this.jobs = jobs;
        this.clock = clock;
    }

    /** Reads the clocks once for the placements of one loop turn. */
    void refresh() {
        now = clock.now();
        nowMillis = clock.millis();
    }

    /** The connected nodes in join order (a list, so a sampled scan starts at its position). */
    List<NodeState> nodes() {
        return nodes.placementOrder();
    }

    /** The connected node with that id, or null. */
    NodeState node(String id) {
        return nodes.get(id);
    }

    /** An active job by id (a node's running job, say), or null. */
    Job job(String id) {
        return jobs.get(id);
    }

    /** Wall time, for the routing record. */
    Instant now() {
        return now;
    }

    /** Monotonic time, for {@link Placer.Verdict.Pending#wakeAtMillis}. */
    long nowMillis() {
        return nowMillis;
    }

    /** Sends {@code message} to {@code node} in this turn's frame. */
    void send(NodeState node, Message message) {
        nodes.send(node, message);
    }
}
