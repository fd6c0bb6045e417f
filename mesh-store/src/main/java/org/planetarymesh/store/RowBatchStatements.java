package org.planetarymesh.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.Collections;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobEvent;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.store.JobStore.Outcome;
import org.planetarymesh.store.JobWriteBatch.Phase;

/**
 * SQLite's phase statements: one-row statements in a JDBC batch, whose row counts give each write its outcome. An
 * update's legal previous statuses are parameters ({@code status IN (...)}, padded with NULLs, which never match).
 * In-process SQLite has no per-statement round trip to save, so the batch is the cheap way.
 */
final class RowBatchStatements implements PhaseStatements {

    private static final int FROM_WIDTH = JobWriteBatch.ALLOWED_FROM.values().stream()
            .mapToInt(from -> from.length)
            .max()
            .orElse(1);

    static final String INSERT_JOB = "INSERT INTO jobs (id, status, type, node_id, scope, priority, idempotency_key,"
            + " created_at, updated_at, doc, owner) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
    static final String UPDATE_JOB = "UPDATE jobs SET status = ?, node_id = ?, updated_at = ?, doc = ?"
            + " WHERE id = ? AND status IN (" + String.join(", ", Collections.nCopies(FROM_WIDTH, "?")) + ")";
    static final String INSERT_NODE_ENTRY = "INSERT INTO node_jobs_pending (node_id, job_id) VALUES (?, ?)";
    static final String INSERT_EVENT =
            "INSERT INTO job_events (job_id, seq, doc) VALUES (?, ?, ?) ON CONFLICT DO NOTHING";

    private final JobWriteBatch batch;

    RowBatchStatements(JobWriteBatch batch) {
        this.batch = batch;
    }

    @Override
    public void insertJobs(Phase phase) throws SQLException {
        PreparedStatement s = batch.statement(INSERT_JOB);
        for (int k = 0; k < phase.size(); k++) {
            int index = phase.index(k);
            Job job = batch.job(index);
            s.setString(1, job.id());
            s.setString(2, job.status().name());
            s.setString(3, job.spec().type());
            s.setString(4, job.nodeId());
            s.setString(5, job.spec().scope().name());
            s.setInt(6, job.spec().priority());
            s.setString(7, job.spec().idempotencyKey());
            setMillis(s, 8, job.createdAt());
            setMillis(s, 9, job.updatedAt());
            s.setString(10, batch.document(index));
            s.setString(11, job.owner());
            s.addBatch();
        }
        record(s.executeBatch(), phase, Outcome.CONFLICT);
        indexNodes(phase);
    }

    @Override
    public void updateJobs(Phase phase) throws SQLException {
        PreparedStatement s = batch.statement(UPDATE_JOB);
        for (int k = 0; k < phase.size(); k++) {
            int index = phase.index(k);
            Job job = batch.job(index);
            s.setString(1, job.status().name());
            s.setString(2, job.nodeId());
            setMillis(s, 3, job.updatedAt());
            s.setString(4, batch.document(index));
            s.setString(5, job.id());
            JobStatus[] from = JobWriteBatch.ALLOWED_FROM.get(job.status());
            for (int f = 0; f < FROM_WIDTH; f++) {
                if (f < from.length) {
                    s.setString(6 + f, from[f].name());
                } else {
                    s.setNull(6 + f, Types.VARCHAR);
                }
            }
            s.addBatch();
        }
        record(s.executeBatch(), phase, Outcome.REFUSED);
        indexNodes(phase);
    }

    /**
     * Queues the node of each applied job write that has one for {@link SqliteNodeIndex}; a node written again comes
     * twice, and the move keeps one.
     */
    private void indexNodes(Phase phase) throws SQLException {
        PreparedStatement s = null;
        for (int k = 0; k < phase.size(); k++) {
            int index = phase.index(k);
            Job job = batch.job(index);
            if (job.nodeId() != null && batch.outcome(index) == Outcome.APPLIED) {
                if (s == null) {
                    s = batch.statement(INSERT_NODE_ENTRY);
                }
                s.setString(1, job.nodeId());
                s.setString(2, job.id());
                s.addBatch();
            }
        }
        if (s != null) {
            s.executeBatch();
        }
    }

    @Override
    public void insertEvents(Phase phase) throws SQLException {
        PreparedStatement s = batch.statement(INSERT_EVENT);
        for (int k = 0; k < phase.size(); k++) {
            int index = phase.index(k);
            JobEvent event = batch.event(index);
            s.setString(1, event.jobId());
            s.setLong(2, event.seq());
            s.setString(3, batch.document(index));
            s.addBatch();
        }
        record(s.executeBatch(), phase, Outcome.CONFLICT);
    }

    /** Statements of one batch run in order, so a second update of a row sees the first. */
    @Override
    public boolean updatesOneRowTwice() {
        return true;
    }

    private void record(int[] counts, Phase phase, Outcome whenNoRow) {
        if (counts.length != phase.size()) {
            throw new StoreException("the JDBC driver returned " + counts.length + " row counts for " + phase.size()
                    + " batched statements");
        }
        for (int k = 0; k < phase.size(); k++) {
            if (counts[k] == Statement.SUCCESS_NO_INFO) {
                // Without a row count an ignored insert cannot be told from an applied one.
                throw new StoreException("the JDBC driver reported no row counts for a batch");
            }
            batch.outcome(phase.index(k), counts[k] > 0 ? Outcome.APPLIED : whenNoRow);
        }
    }

    private static void setMillis(PreparedStatement s, int index, Instant at) throws SQLException {
        if (at == null) {
            s.setNull(index, Types.BIGINT);
        } else {
            s.setLong(index, at.toEpochMilli());
        }
    }
}
