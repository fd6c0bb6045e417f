package org.planetarymesh.coordinator.scheduler;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.planetarymesh.coordinator.gateway.NodeLink;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.protocol.Message;

/** Everything that can change the scheduler's world arrives as one of these, through its single inbox. */
sealed interface SchedulerEvent {

    /** Durably stored new jobs. */
    record Submitted(List<Job> jobs) implements SchedulerEvent {}

    /** Non-terminal jobs loaded from the store at start-up. */
    record Recovered(List<Job> jobs) implements SchedulerEvent {}

    /** A client asked to cancel a job. */
    record CancelRequested(String jobId, CompletableFuture<CancelOutcome> reply) implements SchedulerEvent {}

    /** A node said hello (over WebSocket) or was registered for push. */
    record NodeConnected(NodeLink link, Message.Hello hello, Duration heartbeatInterval) implements SchedulerEvent {}

    /** A node's link closed. */
    record NodeDisconnected(String nodeId, NodeLink link) implements SchedulerEvent {}

    /**
     * The messages of one frame from a connected node, in order: heartbeats and job reports, with what the gateway
     * found checking the receipts of its {@code job_done}s (by identity; empty when none carried one).
     */
    record FromNode(
            String nodeId,
            NodeLink link,
            List<Message> messages,
            java.util.Map<Message.JobDone, org.planetarymesh.coordinator.receipt.ReceiptCheck> receipts)
            implements SchedulerEvent {

        FromNode(String nodeId, NodeLink link, List<Message> messages) {
            this(nodeId, link, messages, java.util.Map.of());
        }
    }

    /** Ask the node to finish its work and take no more. */
    record DrainNode(String nodeId) implements SchedulerEvent {}

    /** Run {@code task} on the scheduler thread (tests and snapshots). */
    record Task(Runnable task) implements SchedulerEvent {}
}
