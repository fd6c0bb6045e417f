package org.planetarymesh.coordinator.scheduler;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.planetarymesh.coordinator.stats.JobFlow;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobStatus;

/**
 * The jobs the scheduler is responsible for (every job not yet ended), the per-status counters that follow them, and
 * the small per-job facts other parts keep: which nodes refused a job, and which recovered jobs still wait for their
 * agent to reconnect.
 */
final class JobTable {

    private static final int RECENTLY_ENDED = 100_000;

    private final Map<String, Job> active = new HashMap<>();
    private final JobCounts counts;
    private final JobFlow flow;
    /**
     * Statuses of jobs that ended recently. A job leaves {@link #active} when it ends, but its terminal state reaches
     * the store only when the group commit lands; dependents checked in between must not read the older stored state.
     */
    private final Map<String, JobStatus> recentlyEnded = new LinkedHashMap<>(1_024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, JobStatus> eldest) {
            return size() > RECENTLY_ENDED;
        }
    };

    private final Map<String, Set<String>> refusedBy = new HashMap<>();
    /** Output kept of each running attempt that printed any ({@link OutputCap}). */
    private final Map<String, OutputCap.Used> outputUsed = new HashMap<>();
    /** Jobs recovered ASSIGNED or RUNNING after a restart whose node has not claimed them yet. */
    private final Set<String> orphans = new HashSet<>();

    JobTable(JobCounts counts, JobFlow flow) {
        this.counts = counts;
        this.flow = flow;
    }

    Job get(String id) {
        return active.get(id);
    }

    /** Puts {@code job} in the active set, keeping the per-status counts true. */
    void track(Job job) {
        Job before = active.put(job.id(), job);
        counts.moved(before == null ? null : before.status(), job.status());
    }

    /** {@code job} reached a terminal status: it leaves the table and every per-job fact about it goes. */
    void ended(Job job) {
        Job before = active.remove(job.id());
        counts.moved(before == null ? null : before.status(), job.status());
        flow.ended(job);
        recentlyEnded.put(job.id(), job.status());
        orphans.remove(job.id());
        refusedBy.remove(job.id());
        outputUsed.remove(job.id());
    }

    /** The output {@code attempt} of {@code jobId} has used so far, to add to ({@link OutputCap}). */
    OutputCap.Used outputUsed(String jobId, int attempt) {
        OutputCap.Used used = outputUsed.get(jobId);
        if (used == null || used.attempt != attempt) {
            used = new OutputCap.Used(attempt);
            outputUsed.put(jobId, used);
        }
        return used;
    }

    /** A finished job ({@code from}) was retried: it is active again, QUEUED, and counted there. */
    void requeued(Job job, JobStatus from) {
        recentlyEnded.remove(job.id());
        active.put(job.id(), job);
        counts.moved(from, job.status());
    }

    /**
     * Drops every trace of a job that turned out never to have been stored (its insert failed for good), taking it out
     * of the counts so they agree with the store. Returns the job if it was still active.
     */
    Job forget(String id) {
        Job job = active.remove(id);
        outputUsed.remove(id);
        JobStatus counted = job != null ? job.status() : recentlyEnded.remove(id);
        orphans.remove(id);
        refusedBy.remove(id);
        if (counted != null) {
            counts.forgot(counted);
        }
        return job;
    }

    /** The job's status if it is active or ended recently; null when only the store can say. */
    JobStatus knownStatus(String id) {
        Job known = active.get(id);
        return known != null ? known.status() : recentlyEnded.get(id);
    }

    /** Nodes that said they cannot run {@code jobId}; placement skips them. */
    Set<String> refusedBy(String jobId) {
        return refusedBy.getOrDefault(jobId, Set.of());
    }

    /** Records that {@code nodeId} cannot run {@code jobId}; returns every node that refused it. */
    Set<String> refuse(String jobId, String nodeId) {
        Set<String> refused = refusedBy.computeIfAbsent(jobId, id -> new HashSet<>());
        refused.add(nodeId);
        return refused;
    }

    Set<String> orphans() {
        return orphans;
    }
}
