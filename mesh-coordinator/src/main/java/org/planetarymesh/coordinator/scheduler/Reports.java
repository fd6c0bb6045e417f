package org.planetarymesh.coordinator.scheduler;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.planetarymesh.coordinator.auction.Reputation;
import org.planetarymesh.coordinator.gateway.NodeLink;
import org.planetarymesh.coordinator.receipt.ReceiptCheck;
import org.planetarymesh.core.job.AttemptOutcome;
import org.planetarymesh.core.job.ErrorCode;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobError;
import org.planetarymesh.core.job.JobEvent;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.protocol.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What nodes send about their jobs: accepted, rejected, progress, output, done, failed. A report counts only if it
 * names the job's current attempt on the node that holds it ({@link #current}): a node that vanished and came back
 * cannot record a stale result.
 */
final class Reports {

    private static final Logger LOG = LoggerFactory.getLogger(Reports.class);
    private static final long REJECTION_PAUSE_MS = 200;

    private final NodeRegistry nodes;
    private final JobTable jobs;
    private final WriteBehind writes;
    private final JobLifecycle lifecycle;
    private final AttemptPolicy attempts;
    private final NodeLifecycle nodeLifecycle;
    private final Dispatcher dispatcher;
    private final Receipts receipts;
    private final SchedulerClock clock;
    private final Reputation reputation;
    private final OutputCap outputs;
    private final LiveOutput live;
    private final Replicas replicas;

    Reports(
            NodeRegistry nodes,
            JobTable jobs,
            WriteBehind writes,
            JobLifecycle lifecycle,
            AttemptPolicy attempts,
            NodeLifecycle nodeLifecycle,
            Dispatcher dispatcher,
            Reputation reputation,
            Receipts receipts,
            SchedulerClock clock,
            OutputCap outputs,
            LiveOutput live,
            Replicas replicas) {
        this.replicas = replicas;
        this.reputation = reputation;
        this.outputs = outputs;
        this.nodes = nodes;
        this.jobs = jobs;
        this.writes = writes;
        this.lifecycle = lifecycle;
        this.attempts = attempts;
        this.nodeLifecycle = nodeLifecycle;
        this.dispatcher = dispatcher;
        this.receipts = receipts;
        this.clock = clock;
        this.live = live;
    }

    void onMessage(String nodeId, NodeLink link, Message message) {
        onMessage(nodeId, link, message, Map.of());
    }

    /** A node's message; {@code checks} holds the gateway's check of each receipt in its frame. */
    void onMessage(String nodeId, NodeLink link, Message message, Map<Message.JobDone, ReceiptCheck> checks) {
        NodeState node = nodes.get(nodeId);
        if (node == null || node.link != link) {
            return; // frame from a replaced or dead connection
        }
        node.lastSeenMillis = clock.millis();
        switch (message) {
            case Message.Heartbeat hb -> nodeLifecycle.heartbeat(node, hb);
            case Message.Drain d -> nodeLifecycle.stopping(node);
            case Message.JobAccepted a -> {
                Job job = current(node, a.jobId(), a.attempt());
                if (job != null) {
                    accepted(job);
                }
            }
            case Message.JobRejected r -> {
                Job job = current(node, r.jobId(), r.attempt());
                if (job != null) {
                    rejected(node, job, r);
                }
            }
            case Message.JobProgress p -> {
                Job job = current(node, p.jobId(), p.attempt());
                if (job != null) {
                    progress(job, p);
                }
            }
            case Message.JobChunk c -> {
                Job job = current(node, c.jobId(), c.attempt());
                if (job != null) {
                    chunk(job, c);
                }
            }
            case Message.JobDone d -> {
                Job job = current(node, d.jobId(), d.attempt());
                if (job != null) {
                    done(node, job, d, checks.get(d));
                }
            }
            case Message.JobError e -> {
                Job job = current(node, e.jobId(), e.attempt());
                if (job != null) {
                    failed(node, job, e);
                }
            }
            default -> dispatcher.onMessage(node, message);
        }
    }

    /** Whether {@code job} is on a node (ASSIGNED or RUNNING) in {@code attempt}: reports and timers for others are stale. */
    static boolean placedIn(Job job, int attempt) {
        return job != null
                && job.attempt() == attempt
                && (job.status() == JobStatus.ASSIGNED || job.status() == JobStatus.RUNNING);
    }

    /** The job if {@code attempt} is its current attempt on {@code node}, else null: stale reports are fenced off here. */
    private Job current(NodeState node, String jobId, int attempt) {
        Job job = jobs.get(jobId);
        if (!placedIn(job, attempt) || !node.id.equals(job.nodeId())) {
            LOG.debug("ignoring stale report for job {} attempt {} from {}", jobId, attempt, node.id);
            return null;
        }
        return job;
    }

    /**
     * The node started the attempt. Like ASSIGNED, RUNNING is kept in memory and written behind, only if the job is
     * still running then (see {@link WriteBehind}).
     */
    private void accepted(Job job) {
        if (job.status() == JobStatus.ASSIGNED) {
            writes.deferWrite(job.running(clock.now()));
        }
    }

    private void rejected(NodeState node, Job job, Message.JobRejected r) {
        nodes.freeSlot(node, job.id());
        Instant now = clock.now();
        JobError why = new JobError(r.errorCode(), r.message());
        if (r.codeKind() == ErrorCode.OUT_OF_CAPACITY) {
            // Our view of its slots was stale: not a failed run, no attempt used; a short pause keeps a node that
            // keeps refusing from spinning the loop.
            lifecycle.update(job.endAttempt(
                    JobStatus.QUEUED, AttemptOutcome.REJECTED, null, why, now.plusMillis(REJECTION_PAUSE_MS), now));
            return;
        }
        // The node cannot run this job at all (unsupported type, shell command not allowed, model not loaded):
        // try the others; if no other node could ever take it, fail now with the node's own explanation.
        Set<String> refused = jobs.refuse(job.id(), node.id);
        if (nodes.all().stream().anyMatch(other -> couldRun(job, other, refused))) {
            lifecycle.update(job.endAttempt(JobStatus.QUEUED, AttemptOutcome.REJECTED, null, why, null, now));
        } else {
            lifecycle.terminal(job.endAttempt(
                    JobStatus.FAILED,
                    AttemptOutcome.REJECTED,
                    null,
                    why.withMessage(r.message() + " (no other node can run it)"),
                    null,
                    now));
        }
    }

    private static boolean couldRun(Job job, NodeState node, Set<String> refused) {
        if (refused.contains(node.id)) {
            return false;
        }
        String why = Eligibility.rejection(job, node);
        return why == null || Eligibility.passesWithTime(why);
    }

    private void progress(Job job, Message.JobProgress p) {
        Instant now = clock.now();
        Job updated = writes.writeRunning(job).withProgress(Math.max(0, Math.min(1, p.progress())), now);
        jobs.track(updated);
        JobEvent event = JobEvent.progress(job.id(), writes.nextSeq(), now, job.attempt(), updated.progress(), p.log());
        writes.commitEvents(List.of(event), List.of(updated));
    }

    private void chunk(Job job, Message.JobChunk c) {
        Instant now = clock.now();
        Job current = writes.writeRunning(job);
        receipts.chunk(job.id(), job.attempt(), c);
        replicas.chunk(job, c);
        live.chunk(job.id(), job.attempt(), c.seq(), c.data());
        OutputCap.Admitted admitted = outputs.admit(current, c.data());
        List<JobEvent> events = new java.util.ArrayList<>(2);
        if (!admitted.kept().isEmpty()) {
            events.add(JobEvent.chunk(
                    job.id(), writes.nextSeq(), now, job.attempt(), c.seq(), admitted.kept(), c.stream()));
        }
        if (admitted.cutNow()) {
            // The reader of the log learns where it stops; the attempt in the job says so for good.
            String note = "\n[mesh: output truncated at " + outputs.capBytes() + " bytes (max_output_bytes);"
                    + " the rest of this attempt's output is dropped]\n";
            events.add(JobEvent.chunk(job.id(), writes.nextSeq(), now, job.attempt(), c.seq(), note, c.stream()));
            jobs.track(current.withOutputTruncated(outputs.capBytes()));
        }
        if (!events.isEmpty()) {
            writes.commitEvents(events, List.of());
        }
    }

    private void done(NodeState node, Job job, Message.JobDone d, ReceiptCheck check) {
        nodes.freeSlot(node, job.id());
        if (replicas.untrusted(job, d.attempt())) {
            // A replica attempt that streamed across a coordinator restart: its output CID cannot be known, so it
            // runs again (no attempt used) rather than being compared on half its output.
            lifecycle.update(started(job)
                    .endAttempt(
                            JobStatus.QUEUED,
                            AttemptOutcome.INTERRUPTED,
                            null,
                            new JobError(ErrorCode.NODE_LOST, "replica output began before a coordinator restart"),
                            null,
                            clock.now()));
            return;
        }
        Receipts.Settled receipt = receipts.settle(job, node.id, d, check, clock.now());
        if (receipt instanceof Receipts.Settled.Refused refused) {
            invalidReceipt(node, job, d, refused.problem());
            return;
        }
        reputation.completed(node.id);
        Job ran = started(job).withRoute(d.executor(), d.routeRule());
        if (receipt instanceof Receipts.Settled.Accepted accepted) {
            ran = ran.toBuilder().receiptCid(accepted.cid()).build();
        }
        lifecycle.terminal(
                ran.endAttempt(JobStatus.COMPLETED, AttemptOutcome.COMPLETED, d.result(), null, null, clock.now()));
        if (receipt instanceof Receipts.Settled.Accepted accepted) {
            writes.commitRow(accepted.row()); // after the completion's writes, in the same group commit
        }
    }

    /**
     * The node said the attempt succeeded but its receipt does not hold: the result is not taken. The attempt fails
     * with {@code invalid_receipt} (outcome {@link AttemptOutcome#INVALID_RECEIPT}, which counts against the node) and
     * the job is retried on another node: this one is excluded for it.
     */
    private void invalidReceipt(NodeState node, Job job, Message.JobDone d, String problem) {
        LOG.warn("invalid receipt from {} for job {} attempt {}: {}", node.id, job.id(), d.attempt(), problem);
        jobs.refuse(job.id(), node.id);
        attempts.retryOrFail(
                started(job).withRoute(d.executor(), d.routeRule()),
                new JobError(ErrorCode.INVALID_RECEIPT, "invalid receipt from " + node.id + ": " + problem),
                true);
    }

    /**
     * The job as RUNNING: an agent leaves out {@code job_accepted} when the attempt's result goes in the same frame,
     * so a result for an ASSIGNED attempt also says it started (now, as far as the coordinator can tell).
     */
    private Job started(Job job) {
        return job.status() == JobStatus.ASSIGNED ? job.running(clock.now()) : job;
    }

    private void failed(NodeState node, Job job, Message.JobError e) {
        if (e.codeKind() == ErrorCode.UNSUPPORTED) {
            // Refused after accepting: a peer link learns only from the mesh behind it that it will not run the job.
            rejected(node, job, new Message.JobRejected(e.jobId(), e.attempt(), e.errorCode(), e.message()));
            return;
        }
        nodes.freeSlot(node, job.id());
        Job ran = started(job);
        JobError why = new JobError(e.errorCode(), e.message());
        if (e.codeKind() == ErrorCode.AGENT_STOPPING) {
            // The agent is shutting down (e.g. Ctrl-C on `mesh up`): not the job's fault, so no attempt is used, and
            // the node gets no new work (the job would come straight back to it and be lost with it).
            nodeLifecycle.stopping(node);
            lifecycle.update(
                    ran.endAttempt(JobStatus.QUEUED, AttemptOutcome.INTERRUPTED, null, why, null, clock.now()));
            return;
        }
        attempts.retryOrFail(ran, why, e.retryable());
    }
}
