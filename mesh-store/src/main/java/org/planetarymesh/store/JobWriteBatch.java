package org.planetarymesh.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobEvent;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.store.JobStore.Outcome;
import org.planetarymesh.store.JobStore.Write;

/**
 * Executes one {@link JobStore#apply} batch on one connection with as few JDBC batches as order allows.
 *
 * <p>Writes are grouped into phases; each phase runs its job inserts, then its job updates, then its event inserts,
 * one {@code executeBatch} each, so a typical mix of thousands of writes costs three driver calls (and on PostgreSQL
 * three round trips) instead of thousands. Within a kind, order is kept. Across kinds that reorders only writes that
 * commute: events touch another table, and an insert moved ahead of an update matters only for the same job, so an
 * insert of a job already updated in the current phase starts a new phase.
 *
 * <p>The status table is enforced by the database itself: an update carries the statuses its job may be in for the
 * move to be legal ({@code status IN (...)}, padded with NULLs, which never match), so a refused update changes no row
 * and no read-modify-write race is possible. The one relaxation: an ASSIGNED state the scheduler never wrote (a short
 * attempt's) may be skipped, so QUEUED may move straight to what ASSIGNED may move to.
 */
final class JobWriteBatch implements AutoCloseable {

    /** For each new status, the stored statuses an update to it may replace. */
    private static final Map<JobStatus, JobStatus[]> ALLOWED_FROM = allowedFrom();

    private static final int FROM_WIDTH =
            ALLOWED_FROM.values().stream().mapToInt(from -> from.length).max().orElse(1);

    static final String INSERT_JOB = "INSERT INTO jobs (id, status, type, node_id, scope, priority, idempotency_key,"
            + " created_at, updated_at, doc, owner) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
    static final String UPDATE_JOB = "UPDATE jobs SET status = ?, node_id = ?, updated_at = ?, doc = ?"
            + " WHERE id = ? AND status IN (" + String.join(", ", java.util.Collections.nCopies(FROM_WIDTH, "?"))
            + ")";
    static final String INSERT_EVENT =
            "INSERT INTO job_events (job_id, seq, doc) VALUES (?, ?, ?) ON CONFLICT DO NOTHING";

    private final Connection connection;
    private final List<Write> writes;
    private final List<String> documents;
    private final Outcome[] outcomes;
    private final int[] inserts;
    private final int[] updates;
    private final int[] events;
    private int insertCount;
    private int updateCount;
    private int eventCount;
    private final Set<String> updatedInPhase = new HashSet<>();
    private final List<PreparedStatement> opened = new ArrayList<>(3);
    private PreparedStatement insertJob;
    private PreparedStatement updateJob;
    private PreparedStatement insertEvent;

    private JobWriteBatch(Connection connection, List<Write> writes, List<String> documents) {
        this.connection = connection;
        this.writes = writes;
        this.documents = documents;
        int n = writes.size();
        this.outcomes = new Outcome[n];
        this.inserts = new int[n];
        this.updates = new int[n];
        this.events = new int[n];
    }

    /**
     * Runs {@code writes} on {@code connection} (inside the caller's transaction) and returns their outcomes.
     * {@code documents}, if not null, holds each write's {@link JdbcJobStore#document}, made ahead by the caller.
     */
    static List<Outcome> execute(Connection connection, List<Write> writes, List<String> documents)
            throws SQLException {
        try (JobWriteBatch batch = new JobWriteBatch(connection, writes, documents)) {
            return batch.run();
        }
    }

    private List<Outcome> run() throws SQLException {
        for (int i = 0; i < writes.size(); i++) {
            switch (writes.get(i)) {
                case Write.Insert insert -> {
                    if (updatedInPhase.contains(insert.job().id())) {
                        flush();
                    }
                    addInsert(i, insert.job());
                }
                case Write.Update update -> {
                    addUpdate(i, update.job());
                    updatedInPhase.add(update.job().id());
                }
                case Write.AppendEvent append -> addEvent(i, append.event());
            }
        }
        flush();
        return Arrays.asList(outcomes);
    }

    private void addInsert(int index, Job job) throws SQLException {
        if (insertJob == null) {
            insertJob = prepare(INSERT_JOB);
        }
        PreparedStatement s = insertJob;
        s.setString(1, job.id());
        s.setString(2, job.status().name());
        s.setString(3, job.spec().type());
        s.setString(4, job.nodeId());
        s.setString(5, job.spec().scope().name());
        s.setInt(6, job.spec().priority());
        s.setString(7, job.spec().idempotencyKey());
        setMillis(s, 8, job.createdAt());
        setMillis(s, 9, job.updatedAt());
        s.setString(10, document(index));
        s.setString(11, job.owner());
        s.addBatch();
        inserts[insertCount++] = index;
    }

    private void addUpdate(int index, Job job) throws SQLException {
        if (updateJob == null) {
            updateJob = prepare(UPDATE_JOB);
        }
        PreparedStatement s = updateJob;
        s.setString(1, job.status().name());
        s.setString(2, job.nodeId());
        setMillis(s, 3, job.updatedAt());
        s.setString(4, document(index));
        s.setString(5, job.id());
        JobStatus[] from = ALLOWED_FROM.get(job.status());
        for (int k = 0; k < FROM_WIDTH; k++) {
            if (k < from.length) {
                s.setString(6 + k, from[k].name());
            } else {
                s.setNull(6 + k, Types.VARCHAR);
            }
        }
        s.addBatch();
        updates[updateCount++] = index;
    }

    private void addEvent(int index, JobEvent event) throws SQLException {
        if (insertEvent == null) {
            insertEvent = prepare(INSERT_EVENT);
        }
        PreparedStatement s = insertEvent;
        s.setString(1, event.jobId());
        s.setLong(2, event.seq());
        s.setString(3, document(index));
        s.addBatch();
        events[eventCount++] = index;
    }

    private void flush() throws SQLException {
        if (insertCount > 0) {
            record(insertJob.executeBatch(), inserts, insertCount, Outcome.CONFLICT);
            insertCount = 0;
        }
        if (updateCount > 0) {
            record(updateJob.executeBatch(), updates, updateCount, Outcome.REFUSED);
            updateCount = 0;
        }
        if (eventCount > 0) {
            record(insertEvent.executeBatch(), events, eventCount, Outcome.CONFLICT);
            eventCount = 0;
        }
        updatedInPhase.clear();
    }

    private void record(int[] counts, int[] indexes, int n, Outcome whenNoRow) {
        if (counts.length != n) {
            throw new StoreException(
                    "the JDBC driver returned " + counts.length + " row counts for " + n + " batched statements");
        }
        for (int k = 0; k < n; k++) {
            if (counts[k] == Statement.SUCCESS_NO_INFO) {
                // Without a row count an ignored insert cannot be told from an applied one.
                throw new StoreException("the JDBC driver reported no row counts for a batch; do not enable"
                        + " reWriteBatchedInserts on the database URL");
            }
            outcomes[indexes[k]] = counts[k] > 0 ? Outcome.APPLIED : whenNoRow;
        }
    }

    private PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement s = connection.prepareStatement(sql);
        opened.add(s);
        return s;
    }

    private static void setMillis(PreparedStatement s, int index, Instant at) throws SQLException {
        if (at == null) {
            s.setNull(index, Types.BIGINT);
        } else {
            s.setLong(index, at.toEpochMilli());
        }
    }

    private String document(int index) {
        String made = documents == null ? null : documents.get(index);
        return made != null ? made : JdbcJobStore.document(writes.get(index));
    }

    @Override
    public void close() throws SQLException {
        SQLException first = null;
        for (PreparedStatement s : opened) {
            try {
                s.close();
            } catch (SQLException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static Map<JobStatus, JobStatus[]> allowedFrom() {
        Map<JobStatus, JobStatus[]> table = new EnumMap<>(JobStatus.class);
        for (JobStatus next : JobStatus.values()) {
            List<JobStatus> from = new ArrayList<>();
            for (JobStatus current : JobStatus.values()) {
                // Same-status updates (progress, routing) are allowed, except on a terminal job, which never changes.
                boolean same = current == next && !next.isTerminal();
                // The scheduler keeps a short attempt's ASSIGNED state in memory only (its next write carries it), so
                // the stored status may skip it: QUEUED -> RUNNING or QUEUED -> COMPLETED through an unwritten
                // ASSIGNED.
                boolean throughUnwrittenAssigned =
                        current.canTransitionTo(JobStatus.ASSIGNED) && JobStatus.ASSIGNED.canTransitionTo(next);
                if (same || current.canTransitionTo(next) || throughUnwrittenAssigned) {
                    from.add(current);
                }
            }
            table.put(next, from.toArray(JobStatus[]::new));
        }
        return table;
    }
}
