package org.planetarymesh.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.stream.Collectors;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.store.JobStore.Outcome;

/**
 * A user's retry of a finished job, written as a {@link JobStore.Write.Row}: the job goes back to QUEUED only if its
 * stored status is one {@link JobStatus#canRetry} allows. It is a row write rather than an ordinary update so that the
 * ordinary updates keep refusing every move out of a finished state: a retry is the one write that may take it, and
 * {@link JobWriteBatch} ends its phase after it, so later updates of the job in the batch see it applied.
 */
public final class JobRequeue extends RowWrite {

    private static final String SQL = "UPDATE jobs SET status = ?, node_id = ?, updated_at = ?, doc = ? WHERE id = ?"
            + " AND status IN ("
            + JobStatus.retryable().stream().map(s -> "'" + s.name() + "'").collect(Collectors.joining(", ")) + ")";

    private final Job job;
    private final String document;

    /** Requeues {@code job}, which must be QUEUED: the state the retry leaves it in. */
    public JobRequeue(Job job) {
        if (job.status() != JobStatus.QUEUED) {
            throw new IllegalArgumentException("a retried job is QUEUED, not " + job.status());
        }
        this.job = job;
        this.document = JobDocument.encode(job);
    }

    @Override
    String table() {
        return "jobs";
    }

    @Override
    String sql(Dialect dialect) {
        return SQL;
    }

    @Override
    void bind(PreparedStatement statement) throws SQLException {
        statement.setString(1, job.status().name());
        statement.setString(2, job.nodeId());
        statement.setLong(3, job.updatedAt().toEpochMilli());
        statement.setString(4, document);
        statement.setString(5, job.id());
    }

    /** The job was not in a retryable state (a concurrent retry got there first, or it was deleted). */
    @Override
    Outcome whenNoRow() {
        return Outcome.REFUSED;
    }

    /** Whether later writes of the same job must see this one applied first (a requeue ends its phase). */
    @Override
    boolean endsPhase() {
        return true;
    }
}
