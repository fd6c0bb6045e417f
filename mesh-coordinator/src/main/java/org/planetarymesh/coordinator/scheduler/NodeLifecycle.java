package org.planetarymesh.coordinator.scheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.planetarymesh.coordinator.CoordinatorConfig;
import org.planetarymesh.coordinator.gateway.NodeLink;
import org.planetarymesh.core.job.ErrorCode;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobError;
import org.planetarymesh.core.node.NodeStatus;
import org.planetarymesh.core.protocol.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Nodes joining, heartbeating, draining, going quiet and dying: a node silent past {@code suspectAfter} gets no new
 * work, one silent past {@code deadAfter} is dropped and its jobs are retried elsewhere; it stays listed as DEAD for
 * {@code deadNodeRetention}.
 */
final class NodeLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(NodeLifecycle.class);

    private final NodeRegistry nodes;
    private final JobTable jobs;
    private final ReadyQueue ready;
    private final AttemptPolicy attempts;
    private final Recovery recovery;
    private final TimerQueue timers;
    private final CoordinatorConfig config;
    private final SchedulerClock clock;

    NodeLifecycle(
            NodeRegistry nodes,
            JobTable jobs,
            ReadyQueue ready,
            AttemptPolicy attempts,
            Recovery recovery,
            TimerQueue timers,
            CoordinatorConfig config,
            SchedulerClock clock) {
        this.nodes = nodes;
        this.jobs = jobs;
        this.ready = ready;
        this.attempts = attempts;
        this.recovery = recovery;
        this.timers = timers;
        this.config = config;
        this.clock = clock;
    }

    void connect(NodeLink link, Message.Hello hello, Duration heartbeatInterval) {
        NodeState previous = nodes.get(hello.nodeId());
        if (previous != null && previous.link != link) {
            previous.link.close("replaced by a new connection");
            releaseNode(previous);
        }
        NodeState node = new NodeState(hello.nodeId(), hello, link, clock.now(), clock.millis());
        // A node told to heartbeat less often than configured may stay silent proportionally longer.
        node.silenceScale = Math.max(
                1.0,
                heartbeatInterval.toMillis()
                        / (double) config.heartbeatInterval().toMillis());
        nodes.add(node);
        adoptRunningJobs(node, hello.runningJobs());
        nodes.recountFreeSlots();
        nodes.publish(node);
        ready.unpark();
        LOG.info(
                "node {} ({}) joined via {}: executors={} capabilities={} max_concurrent={}",
                node.id,
                hello.name(),
                link.mode(),
                hello.executors(),
                hello.capabilities(),
                hello.maxConcurrent());
    }

    /** Jobs the agent says it is still running: adopt those that are still its current attempt, stop the rest. */
    private void adoptRunningJobs(NodeState node, List<Message.RunningJob> runningJobs) {
        for (Message.RunningJob claimed : runningJobs) {
            Job job = jobs.get(claimed.jobId());
            boolean current = Reports.placedIn(job, claimed.attempt()) && node.id.equals(job.nodeId());
            if (current) {
                node.running.add(job.id());
                node.reservations.reserve(job.id(), job.spec().requirements().resources());
                jobs.orphans().remove(job.id());
            } else {
                nodes.send(
                        node, new Message.JobCancel(claimed.jobId(), claimed.attempt(), "attempt no longer current"));
            }
        }
        recovery.handOver(node);
    }

    void disconnect(String nodeId, NodeLink link) {
        NodeState node = nodes.get(nodeId);
        if (node == null || node.link != link) {
            return; // an old connection of a node that has already reconnected
        }
        node.connected = false;
        node.lastSeenMillis = clock.millis(); // its jobs wait deadAfter from the close, however paced
        if (node.status == NodeStatus.HEALTHY) {
            node.status = NodeStatus.SUSPECT;
        }
        nodes.recountFreeSlots();
        nodes.publish(node);
        LOG.info(
                "node {} disconnected; its {} jobs wait {} ms for it to come back",
                nodeId,
                node.running.size(),
                config.deadAfter().toMillis());
    }

    /** The coordinator asks {@code nodeId} to finish its jobs and take no more. */
    void drain(String nodeId) {
        NodeState node = nodes.get(nodeId);
        if (node != null) {
            nodes.send(node, new Message.Drain("coordinator asked to drain"));
            markDraining(node);
        }
    }

    /** The agent on {@code node} is shutting down (it said {@code drain}, or handed a job back as stopping). */
    void stopping(NodeState node) {
        node.agentStopping = true;
        markDraining(node);
    }

    /** An operator removed {@code node}: it leaves placement now, and its jobs are retried elsewhere at once. */
    void remove(NodeState node, long nowMillis) {
        node.status = NodeStatus.DEAD;
        nodes.removeDead(node, nowMillis);
        releaseNode(node);
    }

    /**
     * {@code node} is draining or shutting down (it said {@code drain}, or handed a job back as
     * {@code agent_stopping}): it keeps what it runs but gets nothing new, so a job it hands back goes elsewhere
     * instead of back to it and then lost with it.
     */
    private void markDraining(NodeState node) {
        if (node.draining) {
            return;
        }
        node.draining = true;
        nodes.recountFreeSlots();
        nodes.publish(node);
        LOG.info("node {} is draining; it gets no new jobs", node.id);
    }

    /** The periodic sweep: marks silent nodes suspect, and drops dead ones after retrying their jobs elsewhere. */
    void checkHealth() {
        long nowMillis = clock.millis();
        List<NodeState> dead = new ArrayList<>();
        for (NodeState node : nodes.all()) {
            long silent = nowMillis - node.lastSeenMillis;
            double scale = node.connected ? node.silenceScale : 1.0;
            NodeStatus before = node.status;
            if (silent > config.deadAfter().toMillis() * scale) {
                dead.add(node);
            } else if (silent > config.suspectAfter().toMillis() * scale || !node.connected) {
                node.status = NodeStatus.SUSPECT;
            }
            if (before != node.status) {
                nodes.recountFreeSlots();
                nodes.publish(node);
            }
        }
        for (NodeState node : dead) {
            LOG.warn(
                    "node {} is dead (no heartbeat for {} ms); retrying its {} jobs elsewhere",
                    node.id,
                    nowMillis - node.lastSeenMillis,
                    node.running.size());
            node.status = NodeStatus.DEAD;
            node.link.close("declared dead");
            nodes.removeDead(node, nowMillis);
            releaseNode(node);
        }
        nodes.forgetDeadBefore(nowMillis - config.deadNodeRetention().toMillis());
        timers.after(Math.max(100, config.heartbeatInterval().toMillis() / 2), Timer.Kind.HEALTH, null, 0);
    }

    /** A node is gone: every job it held is retried (or failed, when out of attempts). */
    private void releaseNode(NodeState node) {
        for (String jobId : List.copyOf(node.running)) {
            Job job = jobs.get(jobId);
            if (job != null && node.id.equals(job.nodeId()) && !job.status().isTerminal()) {
                attempts.retryOrFail(
                        job, new JobError(ErrorCode.NODE_LOST, "node " + node.id + " stopped responding"), true);
            }
        }
        node.running.clear();
        nodes.recountFreeSlots();
    }

    void heartbeat(NodeState node, Message.Heartbeat hb) {
        node.lastHeartbeatAt = clock.now();
        node.load = hb.load();
        if (hb.prices() != null) {
            node.offerPrices = hb.prices();
            node.offerSlots = hb.freeSlots() == null ? node.freeSlots() : hb.freeSlots();
        }
        node.advertised(hb);
        if (node.status == NodeStatus.SUSPECT && node.connected) {
            node.status = NodeStatus.HEALTHY;
            nodes.recountFreeSlots();
            ready.unpark();
        }
        if (!node.reconciled) {
            reconcile(node, Set.copyOf(hb.runningJobIds()));
        }
        nodes.publish(node);
    }

    /**
     * On the first heartbeat of a connection: a job we believe this node holds from before the connection, that the
     * node neither lists as running nor reported, was lost with the node's previous process; retry it.
     */
    private void reconcile(NodeState node, Set<String> reportedRunning) {
        node.reconciled = true;
        for (String jobId : List.copyOf(node.running)) {
            Job job = jobs.get(jobId);
            if (job == null || reportedRunning.contains(jobId)) {
                continue;
            }
            Instant assignedAt =
                    job.attempts().isEmpty() ? null : job.attempts().getLast().startedAt();
            if (assignedAt != null && assignedAt.isBefore(node.connectedAt)) {
                node.running.remove(jobId);
                attempts.retryOrFail(
                        job, new JobError(ErrorCode.NODE_LOST, "node " + node.id + " restarted without the job"), true);
            }
        }
        nodes.recountFreeSlots();
    }
}
