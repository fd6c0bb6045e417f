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
 * <p>An update of a job inserted earlier in the same phase is folded into that insert: the insert writes the job as
 * the update leaves it, and the update costs no statement. The coordinator places a job while its insert commits, so
 * a short job's completion often joins its insert's batch, and then the job costs one row write instead of two (on
 * PostgreSQL, whose updates here are not HOT, also one set of index entries instead of two). The update's outcome is
 * decided from the status table against the inserted state, as the database would decide it; if the insert conflicts
 * (the row already existed), its folded updates run after it against the stored row instead.
 *
 * <p>Rows of other tables ({@link Write.Row}) run last in their phase, in order, after its job and event writes
 * ({@link RowStatements}); a batch without them does no work for them.
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
    private final Dialect dialect;
    private final PhaseStatements statements;
    private final List<Write> writes;
    private final List<String> documents;
    private final Outcome[] outcomes;
    private final Phase inserts;
    private final Phase updates;
    private final Phase events;
    private Phase rows; // made at the first row write: most batches have none
    private final Set<String> updatedInPhase = new HashSet<>();
    // Folding (see the class comment): each write's index stores the job and document of the write at writtenAs[i],
    // which for a folded insert is its last folded update; the phase's inserts by job id, and its folded updates.
    private final int[] writtenAs;
    private final Map<String, Integer> insertedInPhase = new HashMap<>();
    private final Phase folded;
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
        this.dialect = dialect;
        this.statements = dialect == Dialect.POSTGRESQL ? new ArrayStatements(this) : new RowBatchStatements(this);
        this.writes = writes;
        this.documents = documents;
        int n = writes.size();
        this.outcomes = new Outcome[n];
        this.inserts = new Phase(n);
        this.updates = new Phase(n);
        this.events = new Phase(n);
        this.folded = new Phase(n);
        this.writtenAs = new int[n];
        Arrays.setAll(writtenAs, i -> i);
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
                    // A second insert of the id in one phase always conflicts; updates after it fold into the first.
                    insertedInPhase.putIfAbsent(insert.job().id(), i);
                }
                case Write.Update update -> {
                    Integer insert = insertedInPhase.get(update.job().id());
                    if (insert != null) {
                        fold(insert, i, update.job());
                        continue;
                    }
                    if (!statements.updatesOneRowTwice()
                            && updatedInPhase.contains(update.job().id())) {
                        flush();
                    }
                    add(updates, i);
                    updatedInPhase.add(update.job().id());
                }
                case Write.AppendEvent _, Write.AppendEnd _ -> add(events, i);
                case Write.Row row -> {
                    add(rowPhase(), i);
                    if (row.row().endsPhase()) {
                        flush();
                    }
                }
            }
        }
        flush();
        return Arrays.asList(outcomes);
    }

    /**
     * Folds the update at {@code index} into the insert at {@code insert}: if the status table allows the move from
     * the state the insert now writes, the insert writes {@code job} instead; either way the outcome is decided here,
     * unless the insert conflicts (then {@link #flush} runs the update against the stored row).
     */
    private void fold(int insert, int index, Job job) {
        JobStatus inserted = job(insert).status();
        boolean allowed = Arrays.asList(ALLOWED_FROM.get(job.status())).contains(inserted);
        if (allowed) {
            writtenAs[insert] = index;
        }
        outcomes[index] = allowed ? Outcome.APPLIED : Outcome.REFUSED;
        add(folded, index);
    }

    private Phase rowPhase() {
        if (rows == null) {
            rows = new Phase(writes.size());
        }
        return rows;
    }

    private static void add(Phase phase, int index) {
        phase.indexes[phase.count++] = index;
    }

    private void flush() throws SQLException {
        if (inserts.count > 0) {
            statements.insertJobs(inserts);
            inserts.count = 0;
            replayFoldsOfConflictedInserts();
        }
        if (updates.count > 0) {
            statements.updateJobs(updates);
            updates.count = 0;
        }
        if (events.count > 0) {
            statements.insertEvents(events);
            events.count = 0;
        }
        if (rows != null && rows.count > 0) {
            RowStatements.write(this, dialect, rows);
            rows.count = 0;
        }
        updatedInPhase.clear();
        insertedInPhase.clear();
    }

    /**
     * Runs each folded update whose insert conflicted as an update of its own, in order: the row it meant is the one
     * already stored. These are rare (a job id or idempotency key written twice), so one statement each is fine.
     */
    private void replayFoldsOfConflictedInserts() throws SQLException {
        Phase one = new Phase(1);
        for (int k = 0; k < folded.count; k++) {
            int index = folded.indexes[k];
            Job job = job(index);
            if (outcomes[insertedInPhase.get(job.id())] != Outcome.APPLIED) {
                one.count = 0;
                add(one, index);
                statements.updateJobs(one);
            }
        }
        folded.count = 0;
    }

    // For the PhaseStatements: the batch's writes, their documents and outcomes, and statements prepared once.

    Connection connection() {
        return connection;
    }

    /** The job write {@code index} stores: its own, or for an insert with folded updates the last one's. */
    Job job(int index) {
        return switch (writes.get(writtenAs[index])) {
            case Write.Insert(Job job) -> job;
            case Write.Update(Job job) -> job;
            case Write.AppendEvent _, Write.AppendEnd _, Write.Row _ ->
                throw new IllegalStateException("write " + index + " is not a job write");
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

    /** The row write {@code index} carries. */
    RowWrite row(int index) {
        if (writes.get(index) instanceof Write.Row(RowWrite row)) {
            return row;
        }
        throw new IllegalStateException("write " + index + " is not a row write");
    }

    String document(int index) {
        int as = writtenAs[index];
        String made = documents == null ? null : documents.get(as);
        return made != null ? made : JdbcJobStore.document(writes.get(as));
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
