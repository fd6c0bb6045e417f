package org.planetarymesh.coordinator.scheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.planetarymesh.core.job.ErrorCode;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobError;
import org.planetarymesh.core.job.JobStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a restart: the unfinished jobs loaded from the store are taken back. ASSIGNED and RUNNING ones wait
 * {@code recoveryGrace} for their agent to reconnect and claim them; unclaimed ones are retried when it ends.
 */
final class Recovery {

    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    private final JobTable jobs;
    private final JobLifecycle lifecycle;
    private final AttemptPolicy attempts;
    private final TimerQueue timers;
    private final Duration grace;
    private final SchedulerClock clock;
    private final Replicas replicas;

    Recovery(
            JobTable jobs,
            JobLifecycle lifecycle,
            AttemptPolicy attempts,
            TimerQueue timers,
            Duration grace,
            SchedulerClock clock,
            Replicas replicas) {
        this.replicas = replicas;
        this.jobs = jobs;
        this.lifecycle = lifecycle;
        this.attempts = attempts;
        this.timers = timers;
        this.grace = grace;
        this.clock = clock;
    }

    void recover(List<Job> recovered) {
        Instant now = clock.now();
        int requeued = 0;
        Set<String> orphans = jobs.orphans();
        // Verified jobs first: their replicas, which follow, must know their group.
        List<Job> rest = new java.util.ArrayList<>(recovered.size());
        for (Job job : recovered) {
            if (!(job.status() == JobStatus.RUNNING && replicas.recover(job))) {
                rest.add(job);
            }
        }
        for (Job job : rest) {
            switch (job.status()) {
                case ANNOUNCED -> {
                    jobs.track(job);
                    lifecycle.update(job.transitionTo(JobStatus.QUEUED, now));
                    requeued++;
                }
                case ASSIGNED, RUNNING -> {
                    jobs.track(job);
                    orphans.add(job.id());
                    replicas.recoveredOnNode(job);
                }
                default -> lifecycle.admit(job);
            }
        }
        timers.after(grace.toMillis(), Timer.Kind.RECOVERY_GRACE, null, 0);
        LOG.info(
                "recovered {} unfinished jobs ({} waiting for their agents to reconnect, {} requeued)",
                recovered.size(),
                orphans.size(),
                requeued);
    }

    /**
     * {@code node} reconnected: the recovered jobs it held that it did not claim go to its first-heartbeat
     * reconciliation, which retries them at once instead of after the whole grace.
     */
    void handOver(NodeState node) {
        Set<String> orphans = jobs.orphans();
        if (orphans.isEmpty()) {
            return;
        }
        for (String jobId : List.copyOf(orphans)) {
            Job job = jobs.get(jobId);
            if (job != null && node.id.equals(job.nodeId()) && !node.running.contains(jobId)) {
                node.running.add(jobId);
                node.reservations.reserve(jobId, job.spec().requirements().resources());
                orphans.remove(jobId);
            }
        }
    }

    /** The grace ended: recovered jobs no node claimed are retried (or failed, when out of attempts). */
    void expireOrphans() {
        Set<String> orphans = jobs.orphans();
        for (String jobId : List.copyOf(orphans)) {
            Job job = jobs.get(jobId);
            if (job != null && (job.status() == JobStatus.ASSIGNED || job.status() == JobStatus.RUNNING)) {
                attempts.retryOrFail(
                        job,
                        new JobError(
                                ErrorCode.NODE_LOST,
                                "node " + job.nodeId() + " did not reconnect within " + grace.toMillis()
                                        + " ms of a restart"),
                        true);
            }
        }
        orphans.clear();
    }
}
