package org.planetarymesh.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobEvent;
import org.planetarymesh.core.job.JobStatus;

/**
 * Durable home of jobs and their event logs. Implementations: SQLite (embedded default) and PostgreSQL, both passing
 * the same contract suite. Writes arrive in batches ({@link #apply}) so that one transaction, one fsync, carries many
 * job transitions; {@link GroupCommitWriter} forms those batches.
 */
public interface JobStore extends AutoCloseable {

    /**
     * Applies every write in one transaction and returns one outcome per write, in order. An {@link Write.Update} whose
     * stored status may not move to the new status (per {@link JobStatus#canTransitionTo}, or the same status) is
     * {@link Outcome#REFUSED} and changes nothing; an {@link Write.Insert} whose id or idempotency key already exists is
     * {@link Outcome#CONFLICT}. Other writes in the batch still apply. A write the database rejects (a constraint a
     * {@link Write.Row} breaks, say) rolls back the whole batch and throws {@link StoreException}.
     */
    List<Outcome> apply(List<Write> writes);

    Optional<Job> find(String id);

    Optional<Job> findByIdempotencyKey(String key);

    /** Jobs matching {@code query}, newest first, one page at a time. */
    Page list(JobQuery query);

    /** Every job not yet terminal, for recovery after a restart. */
    List<Job> loadNonTerminal();

    /** A job's events with {@code seq > afterSeq}, in order. */
    List<JobEvent> events(String jobId, long afterSeq);

    /** How many jobs are in each status. */
    Map<JobStatus, Long> countByStatus();

    /** Every node's stored outcome counts ({@link ReputationRow} writes them), read once when the coordinator starts. */
    default List<NodeReputation> reputations() {
        return List.of();
    }

    /** The replicas of verified job {@code jobId} ({@link ReplicaRow} writes them), by replica number; empty if none. */
    default List<StoredReplica> replicas(String jobId) {
        return List.of();
    }

    /**
     * Checks that the store answers on a connection writes use (a trivial query), for a health check while nothing is
     * written.
     *
     * @throws StoreException if it does not
     */
    default void check() {}

    /** The receipt log kept in the same database (written through {@link ReceiptLogRow}s in {@link #apply}). */
    default ReceiptLogStore receiptLog() {
        return ReceiptLogStore.NONE;
    }

    @Override
    void close();

    /** One change to make durable. */
    sealed interface Write {
        record Insert(Job job) implements Write {}

        record Update(Job job) implements Write {}

        record AppendEvent(JobEvent event) implements Write {}

        /**
         * A row of another table ({@link RowWrite}: a bid, a receipt, a ledger entry), committed with the job writes
         * of the same batch; it runs after the job and event writes queued with it. Its outcome is {@link
         * Outcome#APPLIED} or what its type says a statement that changed no row means.
         */
        record Row(RowWrite row) implements Write {}

        /**
         * A job's last two events, its terminal status change and the end of its stream ({@link JobEvent#end}),
         * appended as one: the store keeps one row under the end's {@code seq} and {@link #events} reads it back as
         * the two. Every job that finishes writes this pair, and a row fewer is one insert (and on PostgreSQL one
         * index entry) fewer per job.
         */
        record AppendEnd(JobEvent status, JobEvent end) implements Write {
            public AppendEnd {
                // The equality also checks the kind and the job: the status event must be the one the end implies.
                if (end.kind() != JobEvent.Kind.END
                        || status.seq() >= end.seq()
                        || !status.equals(JobEvent.terminalStatus(end, status.seq()))) {
                    throw new IllegalArgumentException("events " + status.seq() + " and " + end.seq() + " of job "
                            + end.jobId() + " are not a terminal status change and the end that follows it");
                }
            }
        }
    }

    /** What happened to one write of a batch. */
    enum Outcome {
        APPLIED,
        REFUSED,
        CONFLICT
    }

    /**
     * Filters and a page position for {@link #list}. Null fields do not filter; {@code owner} is the id of the API
     * token that submitted the jobs.
     */
    record JobQuery(
            JobStatus status, String type, String nodeId, String scope, String owner, int limit, String cursor) {

        /** A query without an owner filter. */
        public JobQuery(JobStatus status, String type, String nodeId, String scope, int limit, String cursor) {
            this(status, type, nodeId, scope, null, limit, cursor);
        }
    }

    /** One page of jobs; {@code nextCursor} is null on the last page. */
    record Page(List<Job> jobs, String nextCursor) {}
}
