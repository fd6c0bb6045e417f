package org.planetarymesh.coordinator.scheduler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.planetarymesh.coordinator.auction.Reputation;
import org.planetarymesh.coordinator.quorum.QuorumRules;
import org.planetarymesh.coordinator.quorum.Replica;
import org.planetarymesh.coordinator.stats.JobFlow;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobIds;
import org.planetarymesh.core.job.JobSpec;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.job.Verify;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.core.protocol.Message;
import org.planetarymesh.core.receipt.OutputDigest;
import org.planetarymesh.store.JobStore;
import org.planetarymesh.store.ReplicaRow;
import org.planetarymesh.store.StoredReplica;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verified jobs ({@code verify}) on the scheduler thread. Such a job is never placed itself: when it is ready it goes
 * RUNNING and k replica jobs are made, ordinary jobs (its spec without {@code verify}, {@code parent_id} naming it)
 * that the scheduler places, retries, times out and cancels as any other, except that none goes to a node where a
 * sibling runs or produced its output. Each replica's output CID is hashed as its chunks arrive; when every replica
 * ended, {@link QuorumRules} decides the job. Replica state is a {@code job_replicas} row per replica, written with
 * the replica job's transitions, so a restart resumes the quorum (docs/adr/0080).
 */
final class Replicas {

    private static final Logger LOG = LoggerFactory.getLogger(Replicas.class);

    /** A verified job in progress: its replicas by number (index replica - 1). */
    private static final class Group {
        final String jobId;
        final Verify verify;
        final Replica[] replicas;
        boolean closed;

        Group(String jobId, Verify verify) {
            this.jobId = jobId;
            this.verify = verify;
            this.replicas = new Replica[verify.replicas()];
        }

        boolean allEnded() {
            for (Replica r : replicas) {
                if (r == null || !r.ended()) {
                    return false;
                }
            }
            return true;
        }

        Replica of(String replicaJobId) {
            for (Replica r : replicas) {
                if (r != null && r.jobId().equals(replicaJobId)) {
                    return r;
                }
            }
            return null;
        }
    }

    private record Digest(int attempt, OutputDigest output) {}

    private final JobTable jobs;
    private final WriteBehind writes;
    private final JobStore store;
    private final Reputation reputation;
    private final JobFlow flow;
    private final SchedulerClock clock;
    private JobLifecycle lifecycle;
    private AttemptPolicy attempts;

    private final Map<String, Group> groups = new HashMap<>();
    private final Map<String, Group> byReplica = new HashMap<>();
    private final Map<String, Digest> digests = new HashMap<>();
    /** Replica attempts that were running before a restart: the chunks they sent then are not in their digest. */
    private final Map<String, Integer> untrusted = new HashMap<>();

    Replicas(
            JobTable jobs,
            WriteBehind writes,
            JobStore store,
            Reputation reputation,
            JobFlow flow,
            SchedulerClock clock) {
        this.jobs = jobs;
        this.writes = writes;
        this.store = store;
        this.reputation = reputation;
        this.flow = flow;
        this.clock = clock;
    }

    /** The parts it finishes and cancels jobs through (built after it: they call it too). */
    void bind(JobLifecycle lifecycleValue, AttemptPolicy attemptsValue) {
        this.lifecycle = lifecycleValue;
        this.attempts = attemptsValue;
    }

    /**
     * {@code job} is ready to place: if it is a verified job, it goes RUNNING and its replica jobs are made and
     * admitted instead, and this answers true.
     */
    boolean start(Job job) {
        Verify verify = job.spec().verify();
        if (verify == null || job.status() != JobStatus.QUEUED || groups.containsKey(job.id())) {
            return false;
        }
        Instant now = clock.now();
        lifecycle.update(job.toBuilder()
                .status(JobStatus.RUNNING)
                .startedAt(now)
                .updatedAt(now)
                .build());
        JobSpec spec = job.spec()
                .withVerify(null)
                .withParentId(job.id())
                .withIdempotencyKey(null)
                .withDependsOn(List.of())
                .withRunAt(null);
        Group group = new Group(job.id(), verify);
        groups.put(job.id(), group);
        for (int i = 1; i <= verify.replicas(); i++) {
            Job replica = Job.submitted(JobIds.next(), spec, job.owner(), now);
            writes.commitInsert(replica);
            put(group, Replica.queued(i, replica.id()), now);
            byReplica.put(replica.id(), group);
            flow.submitted(replica);
            lifecycle.admit(replica);
        }
        LOG.debug("verified job {} runs as {} replicas", job.id(), verify.replicas());
        return true;
    }

    /** The nodes {@code job} must not go to: those where a sibling replica runs or produced its output. */
    Set<String> siblingNodes(Job job) {
        Group group = byReplica.get(job.id());
        if (group == null) {
            return Set.of();
        }
        Set<String> taken = new HashSet<>();
        for (Replica r : group.replicas) {
            if (r == null || r.jobId().equals(job.id())) {
                continue;
            }
            if (r.completed() && r.nodeId() != null) {
                taken.add(r.nodeId());
            }
            Job sibling = jobs.get(r.jobId());
            if (sibling != null && Reports.placedIn(sibling, sibling.attempt()) && sibling.nodeId() != null) {
                taken.add(sibling.nodeId());
            }
        }
        return taken;
    }

    /** A chunk of a replica's current attempt: part of its output CID. */
    void chunk(Job job, Message.JobChunk chunk) {
        if (!byReplica.containsKey(job.id())) {
            return;
        }
        Digest digest = digests.get(job.id());
        if (digest == null || digest.attempt() != job.attempt()) {
            digest = new Digest(job.attempt(), new OutputDigest());
            digests.put(job.id(), digest);
        }
        digest.output().chunk(chunk.seq(), chunk.stream(), chunk.data());
    }

    /**
     * Whether {@code attempt} of replica {@code job} was running before this coordinator started: its output CID
     * cannot be known (what it sent before is lost), so its result is not taken and it runs again.
     */
    boolean untrusted(Job job, int attempt) {
        Integer before = untrusted.get(job.id());
        return before != null && before == attempt;
    }

    /** {@code job} ended: a replica records its output (deciding its job when it was the last); a verified job's open replicas are cancelled. */
    void ended(Job job) {
        untrusted.remove(job.id());
        Group group = byReplica.remove(job.id());
        if (group != null) {
            replicaEnded(group, job);
            return;
        }
        Group own = groups.remove(job.id());
        if (own != null) {
            // Ended without a verdict (cancelled, deadline): its replicas have nothing left to decide.
            own.closed = true;
            for (Replica r : own.replicas.clone()) {
                if (r != null && !r.ended() && jobs.get(r.jobId()) != null) {
                    attempts.cancel(r.jobId(), new CompletableFuture<>());
                }
            }
        }
    }

    private void replicaEnded(Group group, Job job) {
        Instant now = clock.now();
        Digest digest = digests.remove(job.id());
        String outputCid = null;
        if (job.status() == JobStatus.COMPLETED) {
            OutputDigest output =
                    digest != null && digest.attempt() == job.attempt() ? digest.output() : new OutputDigest();
            outputCid = output.finish(job.result());
        }
        Replica before = group.of(job.id());
        if (before == null) {
            return;
        }
        put(
                group,
                before.endedAs(job.status(), job.nodeId(), outputCid, job.result(), job.error(), job.receiptCid()),
                now);
        if (!group.closed && group.allEnded()) {
            decide(group, now);
        }
    }

    private void decide(Group group, Instant now) {
        group.closed = true;
        groups.remove(group.jobId);
        Job job = jobs.get(group.jobId);
        QuorumRules.Decision decision = QuorumRules.decide(List.of(group.replicas), group.verify.quorum());
        for (Replica r : decision.replicas()) {
            put(group, r, now);
            if (r.verdict() == Replica.Verdict.DISSENTED) {
                LOG.warn(
                        "node {} dissented on job {} (replica {}: output {})",
                        r.nodeId(),
                        group.jobId,
                        r.replica(),
                        r.outputCid());
                reputation.dissented(r.nodeId());
            }
        }
        if (job == null) {
            return; // ended meanwhile
        }
        switch (decision) {
            case QuorumRules.Decision.Agreed agreed ->
                lifecycle.terminal(job.toBuilder()
                        .result(agreed.output().result())
                        .build()
                        .finish(JobStatus.COMPLETED, null, now));
            case QuorumRules.Decision.Disputed disputed -> {
                ObjectNode outputs = Json.mapper().createObjectNode();
                outputs.set("outputs", Json.mapper().valueToTree(disputed.outputs()));
                lifecycle.terminal(
                        job.toBuilder().result(outputs).build().finish(JobStatus.DISPUTED, disputed.error(), now));
            }
            case QuorumRules.Decision.Failed failed ->
                lifecycle.terminal(job.finish(JobStatus.FAILED, failed.error(), now));
        }
    }

    private void put(Group group, Replica replica, Instant now) {
        group.replicas[replica.replica() - 1] = replica;
        writes.commitRow(new ReplicaRow(
                new StoredReplica(group.jobId, replica.replica(), replica.jobId(), document(replica)), now));
    }

    private static String document(Replica replica) {
        try {
            return Json.mapper().writeValueAsString(replica);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write replica " + replica, e);
        }
    }

    /**
     * After a restart: takes back verified job {@code job} (RUNNING) from its stored replicas. Answers false for any
     * other job. A verified job stored RUNNING without replicas (never expected: both commit together) starts again.
     */
    boolean recover(Job job) {
        if (job.spec().verify() == null) {
            return false;
        }
        jobs.track(job);
        List<StoredReplica> stored = store.replicas(job.id());
        if (stored.isEmpty()) {
            lifecycle.update(job.transitionTo(JobStatus.QUEUED, clock.now()));
            return true;
        }
        Group group = new Group(job.id(), job.spec().verify());
        for (StoredReplica row : stored) {
            try {
                Replica r = Json.mapper().readValue(row.document(), Replica.class);
                group.replicas[r.replica() - 1] = r;
                if (!r.ended()) {
                    byReplica.put(r.jobId(), group);
                }
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot read replica " + row.replica() + " of job " + job.id(), e);
            }
        }
        groups.put(job.id(), group);
        if (group.allEnded()) {
            decide(group, clock.now());
        }
        return true;
    }

    /** After a restart: replica {@code job} was on a node; the output it sent before is not in its digest. */
    void recoveredOnNode(Job job) {
        if (byReplica.containsKey(job.id())) {
            untrusted.put(job.id(), job.attempt());
        }
    }
}
