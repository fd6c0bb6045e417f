package org.planetarymesh.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.planetarymesh.core.job.JobStatus;

/**
 * {@link FinishedJobs} on either dialect. The queries walk the primary key from the oldest id (ids are UUIDv7, so in
 * submission order) or, for statuses other than COMPLETED, the partial status index, each from where the previous
 * range ended, so a range costs its own rows and not a scan of what came before. A range is found by ids and last
 * nodes alone: a sweep deletes jobs as fast as they finish, so it never reads their documents. An index entry an
 * earlier attempt left on another node (SQLite) stays when its job goes; the node filter checks the job's own node,
 * so such an entry is never shown, and there is one only per attempt that moved.
 */
final class JdbcFinishedJobs implements FinishedJobs {

    private final DataSource reader;
    private final Dialect dialect;
    private final Path sqliteFile;

    JdbcFinishedJobs(Dialect dialect, DataSource reader, Path sqliteFile) {
        this.reader = reader;
        this.dialect = dialect;
        this.sqliteFile = sqliteFile;
    }

    @Override
    public Optional<String> newestBeyond(Set<JobStatus> statuses, int keep) {
        String sql = "SELECT id FROM jobs WHERE " + statusFilter(statuses) + " ORDER BY id DESC LIMIT 1 OFFSET " + keep;
        try (Connection c = reader.getConnection();
                PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        } catch (SQLException e) {
            throw new StoreException("could not find finished jobs: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<Range> nextRange(
            Set<JobStatus> statuses, String after, String through, Instant changedBefore, int limit) {
        StringBuilder sql = new StringBuilder("SELECT id, node_id FROM jobs WHERE ").append(statusFilter(statuses));
        List<Object> args = new ArrayList<>();
        if (after != null) {
            sql.append(" AND id > ?");
            args.add(after);
        }
        if (through != null) {
            sql.append(" AND id <= ?");
            args.add(through);
        }
        if (changedBefore != null) {
            // A job last changed before the cutoff was submitted before it too, so its id is below the cutoff's.
            sql.append(" AND updated_at < ? AND id < ?");
            args.add(changedBefore.toEpochMilli());
            args.add(smallestIdAt(changedBefore));
        }
        sql.append(" ORDER BY id LIMIT ").append(limit);
        String last = null;
        int size = 0;
        Set<String> nodes = new LinkedHashSet<>();
        try (Connection c = reader.getConnection();
                PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    last = rs.getString(1);
                    size++;
                    String node = rs.getString(2);
                    if (node != null) {
                        nodes.add(node);
                    }
                }
            }
        } catch (SQLException e) {
            throw new StoreException("could not find finished jobs: " + e.getMessage(), e);
        }
        return last == null
                ? Optional.empty()
                : Optional.of(new Range(Set.copyOf(statuses), after, last, changedBefore, nodes, size));
    }

    @Override
    public RangePurge purge(Range range) {
        return new RangePurge(range, dialect);
    }

    @Override
    public List<JobStore.Write> purge(List<Finished> jobs) {
        List<JobStore.Write> writes = new ArrayList<>();
        for (Finished job : jobs) {
            writes.add(new JobStore.Write.Row(new JobPurge(JobPurge.Part.EVENTS, job.id(), null)));
        }
        for (Finished job : jobs) {
            // A verified job is never placed itself, so only a job that ran on no node may have replica rows.
            if (job.nodeIds().isEmpty()) {
                writes.add(new JobStore.Write.Row(new JobPurge(JobPurge.Part.REPLICAS, job.id(), null)));
            }
        }
        if (dialect == Dialect.SQLITE) { // PostgreSQL indexes jobs.node_id itself
            for (Finished job : jobs) {
                for (String node : job.nodeIds()) {
                    writes.add(new JobStore.Write.Row(new JobPurge(JobPurge.Part.NODE_ENTRY, job.id(), node)));
                }
            }
        }
        for (Finished job : jobs) {
            writes.add(new JobStore.Write.Row(new JobPurge(JobPurge.Part.JOB, job.id(), null)));
        }
        return writes;
    }

    @Override
    public long sizeBytes() {
        if (sqliteFile == null) {
            return -1;
        }
        long total = 0;
        for (String suffix : List.of("", "-wal")) {
            Path file = sqliteFile.resolveSibling(sqliteFile.getFileName() + suffix);
            try {
                total += Files.exists(file) ? Files.size(file) : 0;
            } catch (IOException e) {
                throw new StoreException("could not read the size of " + file + ": " + e.getMessage(), e);
            }
        }
        return total;
    }

    /** The lowest UUIDv7 minted at {@code at}: every id minted earlier sorts below it. */
    static String smallestIdAt(Instant at) {
        return new UUID((at.toEpochMilli() << 16) | 0x7000L, 0x8000000000000000L).toString();
    }

    /**
     * {@code status IN (...)} in literal SQL; without COMPLETED it also states the partial status index's predicate
     * (migrations V4 and V6), so the planner uses that index.
     */
    static String statusFilter(Set<JobStatus> statuses) {
        for (JobStatus s : statuses) {
            if (!s.isTerminal()) {
                throw new IllegalArgumentException(s + " is not a finished status");
            }
        }
        String in = "status IN ("
                + statuses.stream().map(s -> "'" + s.name() + "'").collect(Collectors.joining(", ")) + ")";
        return statuses.contains(JobStatus.COMPLETED) ? in : in + " AND status <> 'COMPLETED'";
    }
}
