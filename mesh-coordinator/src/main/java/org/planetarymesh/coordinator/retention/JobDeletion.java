package org.planetarymesh.coordinator.retention;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.planetarymesh.coordinator.scheduler.Scheduler;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.store.FinishedJobs;
import org.planetarymesh.store.FinishedJobs.Finished;
import org.planetarymesh.store.FinishedJobs.Range;
import org.planetarymesh.store.GroupCommitWriter;
import org.planetarymesh.store.JobStore;
import org.planetarymesh.store.RangePurge;

/**
 * Deletes finished jobs with their events and index entries through the group commit, and tells the scheduler's
 * per-status counts what went. Shared by the retention sweep and {@code DELETE /v1/jobs/{id}}.
 */
public final class JobDeletion {

    private final FinishedJobs finished;
    private final GroupCommitWriter writer;
    private final Scheduler scheduler;

    public JobDeletion(FinishedJobs finished, GroupCommitWriter writer, Scheduler scheduler) {
        this.finished = finished;
        this.writer = writer;
        this.scheduler = scheduler;
    }

    /** The store's finder of finished jobs. */
    public FinishedJobs finished() {
        return finished;
    }

    /** Deletes the jobs of {@code range} that are still finished when it commits; completes with how many went. */
    public CompletableFuture<Long> delete(Range range) {
        RangePurge purge = finished.purge(range);
        return writer.submitAll(purge.writes()).thenApply(outcomes -> {
            Map<JobStatus, Long> gone = purge.deleted();
            if (!gone.isEmpty()) {
                scheduler.finishedDeleted(gone);
            }
            return gone.values().stream().mapToLong(Long::longValue).sum();
        });
    }

    /**
     * Deletes {@code jobs} if each is still finished when the deletion commits; completes with the ids actually
     * deleted (a job retried meanwhile stays).
     */
    public CompletableFuture<List<String>> delete(List<Finished> jobs) {
        if (jobs.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        List<JobStore.Write> writes = finished.purge(jobs);
        return writer.submitAll(writes).thenApply(outcomes -> {
            int first = outcomes.size() - jobs.size(); // the job rows come last, in order
            Map<JobStatus, Long> gone = new EnumMap<>(JobStatus.class);
            List<String> deleted = new java.util.ArrayList<>();
            for (int i = 0; i < jobs.size(); i++) {
                if (outcomes.get(first + i) == JobStore.Outcome.APPLIED) {
                    gone.merge(jobs.get(i).status(), 1L, Long::sum);
                    deleted.add(jobs.get(i).id());
                }
            }
            if (!gone.isEmpty()) {
                scheduler.finishedDeleted(gone);
            }
            return deleted;
        });
    }
}
