package org.planetarymesh.store;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobEvent;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.job.Scope;

/**
 * The one {@link JobStore} for SQLite and PostgreSQL: the SQL is written so that both accept it ({@code ON CONFLICT DO
 * NOTHING}, plain {@code LIMIT}), so the dialects differ only in their migrations, connection settings, how a batch of
 * writes is executed ({@link PhaseStatements}) and SQLite's node index, written behind ({@link SqliteNodeIndex}).
 *
 * <p>{@link #apply} runs on the writer data source (a single connection on SQLite, whose database has one writer at a
 * time) inside one transaction, executed by {@link JobWriteBatch} as a few statements per batch, each write getting
 * its outcome. Reads use the reader data source, which in SQLite's WAL mode never waits for the
 * writer.
 */
final class JdbcJobStore implements JobStore {

    static final int MAX_LIMIT = 1000;

    /** The page size when a query asks for none (limit 0 or less). */
    static final int DEFAULT_LIMIT = 100;

    private static final String NON_TERMINAL = nonTerminalList();

    /**
     * The value of {@code status} and of {@code scope} that most rows hold, and that their list indexes leave out
     * (migrations V4 on PostgreSQL, V6 on SQLite): a completed job's update then adds no status entry and a new job
     * no scope entry. A filter on any other value states the index's predicate in literal SQL so that the planner may
     * use the index whatever the bound value; a filter on the left-out value walks the primary key, which is quick
     * because most rows match.
     */
    static final String UNINDEXED_STATUS = JobStatus.COMPLETED.name();

    static final String UNINDEXED_SCOPE = Scope.HYBRID.name();

    private final DataSource writer;
    private final DataSource reader;
    private final Dialect dialect;

    private final ReceiptLogStore receiptLog;

    JdbcJobStore(Dialect dialect, DataSource writer, DataSource reader) {
        this.writer = writer;
        this.reader = reader;
        this.dialect = dialect;
        this.receiptLog = new JdbcReceiptLogStore(reader);
    }

    @Override
    public ReceiptLogStore receiptLog() {
        return receiptLog;
    }

    @Override
    public List<Outcome> apply(List<Write> writes) {
        return apply(writes, null);
    }

    /**
     * {@link #apply} with each write's JSON document already made by {@link #document} ({@code documents.get(i)} for
     * {@code writes.get(i)}), so that a caller can pay for encoding on its own thread; null documents are encoded here.
     */
    List<Outcome> apply(List<Write> writes, List<String> documents) {
        if (writes.isEmpty()) {
            return List.of();
        }
        try (Connection c = writer.getConnection()) {
            try {
                List<Outcome> outcomes = JobWriteBatch.execute(c, dialect, writes, documents);
                if (dialect == Dialect.SQLITE) {
                    SqliteNodeIndex.moveIfDue(c);
                }
                c.commit();
                return outcomes;
            } catch (SQLException | RuntimeException e) {
                FailedTransaction.abandon(writer, c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException(
                    "a batch of " + writes.size() + " writes was rolled back, none applied: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<Job> find(String id) {
        return queryOne("SELECT doc FROM jobs WHERE id = ?", id, "job " + id);
    }

    @Override
    public Optional<Job> findByIdempotencyKey(String key) {
        return queryOne("SELECT doc FROM jobs WHERE idempotency_key = ?", key, "job with idempotency key " + key);
    }

    @Override
    public Page list(JobQuery query) {
        int limit = query.limit() <= 0 ? DEFAULT_LIMIT : Math.min(query.limit(), MAX_LIMIT);
        ListStatement statement = listStatement(query, limit);
        List<Job> jobs = new ArrayList<>(Math.min(limit + 1, 128));
        try (Connection c = reader.getConnection();
                PreparedStatement ps = c.prepareStatement(statement.sql())) {
            for (int i = 0; i < statement.args().size(); i++) {
                ps.setString(i + 1, statement.args().get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    jobs.add(readJob(rs.getString(2)));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("could not list jobs for " + query + ": " + e.getMessage(), e);
        }
        if (jobs.size() <= limit) {
            return new Page(jobs, null);
        }
        List<Job> page = jobs.subList(0, limit);
        return new Page(List.copyOf(page), encodeCursor(page.getLast().id()));
    }

    /** The SQL and parameters of a {@link #list} page. */
    record ListStatement(String sql, List<String> args) {}

    /** The statement for one page of {@code query}: {@code limit} + 1 rows, newest first. */
    ListStatement listStatement(JobQuery query, int limit) {
        boolean indexedBehind = query.nodeId() != null && dialect == Dialect.SQLITE;
        String prefix = indexedBehind ? "j." : "";
        String status = query.status() == null ? null : query.status().name();
        String scope = query.scope() == null ? null : query.scope().toUpperCase(Locale.ROOT);
        StringBuilder filters = new StringBuilder();
        List<String> filterArgs = new ArrayList<>(5);
        filter(filters, filterArgs, prefix + "status", status, UNINDEXED_STATUS);
        filter(filters, filterArgs, prefix + "type", query.type(), null);
        filter(filters, filterArgs, "node_id", indexedBehind ? null : query.nodeId(), null); // SQLite: in listSql
        filter(filters, filterArgs, prefix + "scope", scope, UNINDEXED_SCOPE);
        filter(filters, filterArgs, prefix + "owner", query.owner(), null);
        String cursor = query.cursor() == null || query.cursor().isEmpty() ? null : decodeCursor(query.cursor());
        // One row more than asked tells whether another page exists without a COUNT.
        if (indexedBehind) {
            return new ListStatement(
                    SqliteNodeIndex.listSql(filters.toString(), cursor != null, limit + 1),
                    SqliteNodeIndex.listArgs(query.nodeId(), filterArgs, cursor));
        }
        if (cursor != null) {
            filterArgs.add(cursor);
        }
        return new ListStatement(
                "SELECT id, doc FROM jobs WHERE 1 = 1" + filters + (cursor != null ? " AND id < ?" : "")
                        + " ORDER BY id DESC LIMIT " + (limit + 1),
                filterArgs);
    }

    /** Adds {@code column = value}; when the column's index leaves {@code unindexed} out, says so for the planner. */
    private static void filter(StringBuilder sql, List<String> args, String column, String value, String unindexed) {
        if (value != null) {
            sql.append(" AND ").append(column).append(" = ?");
            args.add(value);
            if (unindexed != null && !unindexed.equals(value)) {
                sql.append(" AND ").append(leftOut(column, unindexed));
            }
        }
    }

    /** The predicate of a partial index on {@code column} that leaves {@code value} out, in literal SQL. */
    private static String leftOut(String column, String value) {
        return column + " <> '" + value + "'";
    }

    @Override
    public List<Job> loadNonTerminal() {
        List<Job> jobs = new ArrayList<>();
        try (Connection c = reader.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT doc FROM jobs WHERE status IN (" + NON_TERMINAL
                        + ") AND " + leftOut("status", UNINDEXED_STATUS) + " ORDER BY id");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                jobs.add(readJob(rs.getString(1)));
            }
        } catch (SQLException e) {
            throw new StoreException("could not load non-terminal jobs: " + e.getMessage(), e);
        }
        return jobs;
    }

    @Override
    public List<JobEvent> events(String jobId, long afterSeq) {
        List<JobEvent> events = new ArrayList<>();
        try (Connection c = reader.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT seq, doc FROM job_events WHERE job_id = ? AND seq > ? ORDER BY seq")) {
            ps.setString(1, jobId);
            ps.setLong(2, afterSeq);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    EventDocument.decode(jobId, rs.getLong(1), rs.getString(2), afterSeq, events);
                }
            }
        } catch (SQLException e) {
            throw new StoreException("could not read events of job " + jobId + ": " + e.getMessage(), e);
        }
        return events;
    }

    @Override
    public List<NodeReputation> reputations() {
        List<NodeReputation> out = new ArrayList<>();
        try (Connection c = reader.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT node_id, completed, failed, timed_out, invalid_receipts FROM node_reputation")) {
            while (rs.next()) {
                out.add(new NodeReputation(
                        rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)));
            }
        } catch (SQLException e) {
            throw new StoreException("could not read node reputations: " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public List<StoredReplica> replicas(String jobId) {
        List<StoredReplica> out = new ArrayList<>();
        try (Connection c = reader.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT replica, replica_job_id, doc FROM job_replicas WHERE job_id = ? ORDER BY replica")) {
            ps.setString(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoredReplica(jobId, rs.getInt(1), rs.getString(2), rs.getString(3)));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("could not read the replicas of job " + jobId + ": " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public Map<JobStatus, Long> countByStatus() {
        Map<JobStatus, Long> counts = new EnumMap<>(JobStatus.class);
        for (JobStatus s : JobStatus.values()) {
            counts.put(s, 0L);
        }
        // The status index holds all but the completed jobs: count those by status there, and the completed ones as
        // the rest of the total, which needs no table scan either. One statement, so one snapshot for both.
        try (Connection c = reader.getConnection();
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery("SELECT status, COUNT(*) FROM jobs WHERE " + leftOut("status", UNINDEXED_STATUS)
                                + " GROUP BY status UNION ALL SELECT NULL, COUNT(*) FROM jobs")) {
            long total = 0;
            long others = 0;
            while (rs.next()) {
                String status = rs.getString(1);
                if (status == null) {
                    total = rs.getLong(2);
                } else {
                    counts.put(JobStatus.valueOf(status), rs.getLong(2));
                    others += rs.getLong(2);
                }
            }
            counts.put(JobStatus.valueOf(UNINDEXED_STATUS), total - others);
        } catch (SQLException e) {
            throw new StoreException("could not count jobs by status: " + e.getMessage(), e);
        }
        return counts;
    }

    @Override
    public void check() {
        try (Connection c = writer.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT 1")) {
            rs.next();
            c.rollback();
        } catch (SQLException e) {
            throw new StoreException("the store does not answer: " + e.getMessage(), e);
        }
    }

    /** Moves SQLite's pending node entries into {@code node_jobs} now, for tests of the two halves of the node filter. */
    void moveNodeIndex() {
        try (Connection c = writer.getConnection()) {
            SqliteNodeIndex.move(c);
            c.commit();
        } catch (SQLException e) {
            throw new StoreException("could not move the node index: " + e.getMessage(), e);
        }
    }

    /** The {@link Database} owns the connections; closing the store alone releases nothing. */
    @Override
    public void close() {}

    private Optional<Job> queryOne(String sql, String arg, String what) {
        try (Connection c = reader.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(readJob(rs.getString(1))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("could not read " + what + ": " + e.getMessage(), e);
        }
    }

    private static Job readJob(String doc) {
        return JobDocument.decode(doc);
    }

    /** The JSON document stored for {@code w}: the job's {@link JobDocument}, or the {@link EventDocument}. */
    static String document(Write w) {
        return switch (w) {
            case Write.Insert(Job job) -> JobDocument.encode(job);
            case Write.Update(Job job) -> JobDocument.encode(job);
            case Write.AppendEvent(JobEvent e) -> EventDocument.encode(e);
            case Write.AppendEnd pair -> EventDocument.encode(pair);
            case Write.Row _ -> null; // a row binds its own parameters
        };
    }

    static String encodeCursor(String id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(id.getBytes(StandardCharsets.UTF_8));
    }

    /** The job id a cursor stands for; a cursor that does not decode to one is refused, not read as a filter. */
    static String decodeCursor(String cursor) {
        String id;
        try {
            id = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid cursor '" + cursor + "': pass back a next_cursor unchanged", e);
        }
        if (!org.planetarymesh.core.job.JobIds.isValid(id)) {
            throw new IllegalArgumentException("invalid cursor '" + cursor + "': pass back a next_cursor unchanged");
        }
        return id;
    }

    private static String nonTerminalList() {
        StringBuilder sb = new StringBuilder();
        for (JobStatus s : JobStatus.values()) {
            if (!s.isTerminal()) {
                sb.append(sb.isEmpty() ? "'" : ", '").append(s.name()).append('\'');
            }
        }
        return sb.toString();
    }
}
