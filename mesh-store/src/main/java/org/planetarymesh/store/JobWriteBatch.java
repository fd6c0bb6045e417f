package org.planetarymesh.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
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
 * Executes one {@link JobStore#apply} batch on one connection with as few statements as order allows.
 *
 * <p>Writes are grouped into phases; each phase runs its job inserts, then its job updates, then its event inserts,
 * one statement execution each ({@link PhaseStatements}), so a typical mix of thousands of writes costs three driver
 * calls (and on PostgreSQL three round trips) instead of thousands. Within a kind, order is kept. Across kinds that
 * reorders only writes that commute: events touch another table, and an insert moved ahead of an update matters only
 * for the same job, so an insert of a job already updated in the current phase starts a new phase, and so does a
 * second update of a job where the statements cannot apply two to one row in order.
 *
 * <p>The status table is enforced by the database itself: an update carries the statuses its job may be in for the
 * move to be legal, so a refused update changes no row and no read-modify-write race is possible. The one
 * relaxation: an ASSIGNED state the scheduler never wrote (a short attempt's) may be skipped, so QUEUED may move
 * straight to what ASSIGNED may move to.
 */
final class JobWriteBatch implements AutoCloseable {

    /** For each new status, the stored statuses an update to it may replace. */
    static final Map<JobStatus, JobStatus[]> ALLOWED_FROM = allowedFrom();

    private final Connection connection;
    private final PhaseStatements statements;
    private final List<Write> writes;
    private final List<String> documents;
    private final Outcome[] outcomes;
    private final Phase inserts;
    private final Phase updates;
    private final Phase events;
    private final Set<String> updatedInPhase = new HashSet<>();
    private final Map<String, PreparedStatement> prepared = new HashMap<>();

    /** The writes of one kind in the current phase: their indexes into the batch, in order. */
    static final class Phase {
        private final int[] indexes;
        private int count;

        Phase(int capacity) {
            indexes = new int[capacity];
        }

        int size() {
            return count;
        }

        /** The index into the batch of this phase's {@code k}-th write. */
        int index(int k) {
            return indexes[k];
        }
    }

    private JobWriteBatch(Connection connection, Dialect dialect, List<Write> writes, List<String> documents) {
        this.connection = connection;
        this.statements = dialect == Dialect.POSTGRESQL ? new ArrayStatements(this) : new RowBatchStatements(this);
        this.writes = writes;
        this.documents = documents;
        int n = writes.size();
        this.outcomes = new Outcome[n];
        this.inserts = new Phase(n);
        this.updates = new Phase(n);
        this.events = new Phase(n);
    }

    /**
     * Runs {@code writes} on {@code connection} (inside the caller's transaction) with the statements {@code dialect}
     * runs best and returns their outcomes. {@code documents}, if not null, holds each write's {@link
     * JdbcJobStore#document}, made ahead by the caller.
     */
    static List<Outcome> execute(Connection connection, Dialect dialect, List<Write> writes, List<String> documents)
            throws SQLException {
        try (JobWriteBatch batch = new JobWriteBatch(connection, dialect, writes, documents)) {
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
                    add(inserts, i);
                }
                case Write.Update update -> {
                    if (!statements.updatesOneRowTwice()
                            && updatedInPhase.contains(update.job().id())) {
                        flush();
                    }
                    add(updates, i);
                    updatedInPhase.add(update.job().id());
                }
                case Write.AppendEvent _, Write.AppendEnd _ -> add(events, i);
            }
        }
        flush();
        return Arrays.asList(outcomes);
    }

    private static void add(Phase phase, int index) {
        phase.indexes[phase.count++] = index;
    }

    private void flush() throws SQLException {
        if (inserts.count > 0) {
            statements.insertJobs(inserts);
            inserts.count = 0;
        }
        if (updates.count > 0) {
            statements.updateJobs(updates);
            updates.count = 0;
        }
        if (events.count > 0) {
            statements.insertEvents(events);
            events.count = 0;
        }
        updatedInPhase.clear();
    }

    // For the PhaseStatements: the batch's writes, their documents and outcomes, and statements prepared once.

    Connection connection() {
        return connection;
    }

    Job job(int index) {
        return switch (writes.get(index)) {
            case Write.Insert(Job job) -> job;
            case Write.Update(Job job) -> job;
            case Write.AppendEvent _, Write.AppendEnd _ ->
                throw new IllegalStateException("write " + index + " is an event");
        };
    }

    /** The event whose key a write's event row takes: the event, or of a STATUS and END pair the END. */
    JobEvent event(int index) {
        return switch (writes.get(index)) {
            case Write.AppendEvent(JobEvent event) -> event;
            case Write.AppendEnd(JobEvent status, JobEvent end) -> end;
            case Write w -> throw new IllegalStateException("write " + index + " is not an event");
        };
    }

    String document(int index) {
        String made = documents == null ? null : documents.get(index);
        return made != null ? made : JdbcJobStore.document(writes.get(index));
    }

    void outcome(int index, Outcome outcome) {
        outcomes[index] = outcome;
    }

    Outcome outcome(int index) {
        return outcomes[index];
    }

    PreparedStatement statement(String sql) throws SQLException {
        PreparedStatement s = prepared.get(sql);
        if (s == null) {
            s = connection.prepareStatement(sql);
            prepared.put(sql, s);
        }
        return s;
    }

    @Override
    public void close() throws SQLException {
        SQLException first = null;
        for (PreparedStatement s : prepared.values()) {
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
