package org.planetarymesh.store;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.planetarymesh.core.job.Attempt;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobStatus;

/**
 * Finding and deleting finished jobs, for retention and {@code DELETE /v1/jobs/{id}}. Finding reads on a reader
 * connection; deleting is a list of {@link JobStore.Write}s to hand to the {@link GroupCommitWriter}, so a purge commits
 * in order with the scheduler's writes and never holds the one writer connection on its own.
 */
public interface FinishedJobs {

    /** A finished job as retention needs it: its id, its status, and every node its attempts ran on. */
    record Finished(String id, JobStatus status, Set<String> nodeIds) {

        /** {@code job} as a deletion needs it. */
        public static Finished of(Job job) {
            Set<String> nodes = new LinkedHashSet<>();
            if (job.nodeId() != null) {
                nodes.add(job.nodeId());
            }
            for (Attempt a : job.attempts()) {
                if (a.nodeId() != null) {
                    nodes.add(a.nodeId());
                }
            }
            return new Finished(job.id(), job.status(), nodes);
        }
    }

    /**
     * The id of the newest job in {@code statuses} (all terminal) beyond the newest {@code keep} of them (by
     * submission): it and every older one in those statuses are past a count limit of {@code keep}. Empty when there
     * are no more than {@code keep}.
     */
    Optional<String> newestBeyond(Set<JobStatus> statuses, int keep);

    /**
     * A run of finished jobs that one {@link RangePurge} deletes: those in {@code statuses} with ids after {@code
     * after} (null: from the oldest) through {@code through} and, for an age limit, last changed before {@code
     * changedBefore} (null: any time); {@code nodeIds} are the nodes they ran on last, whose index entries go with
     * them.
     */
    record Range(
            Set<JobStatus> statuses,
            String after,
            String through,
            Instant changedBefore,
            Set<String> nodeIds,
            int size) {}

    /**
     * The next run of at most {@code limit} jobs in {@code statuses} (all terminal) after {@code after} (null: from the
     * oldest), up to {@code through} (null: no bound) and, if {@code changedBefore} is not null, last changed before
     * it; oldest first. Empty when there is none. It reads ids and nodes only, never documents.
     */
    Optional<Range> nextRange(Set<JobStatus> statuses, String after, String through, Instant changedBefore, int limit);

    /** The writes that delete {@code range}'s jobs with their events and index entries, in one group commit. */
    RangePurge purge(Range range);

    /**
     * The writes that delete {@code jobs}, their events and their index entries, each only if it is still finished
     * when they commit: all events first, then index entries, then the job rows, so each kind runs as one statement
     * batch. The last {@code jobs.size()} writes are the job rows, in order: {@link JobStore.Outcome#APPLIED} when that
     * job was deleted, {@link JobStore.Outcome#REFUSED} when it had been retried (or deleted) meanwhile.
     */
    List<JobStore.Write> purge(List<Finished> jobs);

    /** The bytes the store's files take (SQLite: the database and its WAL), or -1 when it cannot say (PostgreSQL). */
    long sizeBytes();
}
