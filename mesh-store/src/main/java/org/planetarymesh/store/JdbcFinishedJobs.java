package org.planetarymesh.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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
import org.planetarymesh.core.json.Json;

/**
 * {@link FinishedJobs} on either dialect. The queries walk the primary key from the oldest id (ids are UUIDv7, so in
 * submission order) or, for statuses other than COMPLETED, the partial status index, each from where the previous
 * batch ended, so a batch costs its own rows and not a scan of what came before.
 */
final class JdbcFinishedJobs implements FinishedJobs {

    private static final String NODE_ID_FIELD = "\"node_id\"";

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
        List<Finished> found = query(
                "SELECT id, status, node_id, NULL FROM jobs WHERE " + statusFilter(statuses)
                        + " ORDER BY id DESC LIMIT 1 OFFSET " + keep,
                List.of());
        return found.stream().map(Finished::id).findFirst();
    }

    @Override
    public List<Finished> through(Set<JobStatus> statuses, String afterId, String throughId, int limit) {
        List<Object> args = new ArrayList<>();
        args.add(throughId);
        if (afterId != null) {
            args.add(afterId);
        }
        return query(
                "SELECT id, status, node_id, doc FROM jobs WHERE " + statusFilter(statuses) + " AND id <= ?"
                        + (afterId != null ? " AND id > ?" : "") + " ORDER BY id LIMIT " + limit,
                args);
    }

    @Override
    public List<Finished> olderThan(Set<JobStatus> statuses, Instant cutoff, String afterId, int limit) {
        // A job last changed before the cutoff was submitted before it too, so its id is below the cutoff's.
        List<Object> args = new ArrayList<>(List.of(cutoff.toEpochMilli(), smallestIdAt(cutoff)));
        if (afterId != null) {
            args.add(afterId);
        }
        return query(
                "SELECT id, status, node_id, doc FROM jobs WHERE " + statusFilter(statuses)
                        + " AND updated_at < ? AND id < ?" + (afterId != null ? " AND id > ?" : "")
                        + " ORDER BY id LIMIT " + limit,
                args);
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
    private static String statusFilter(Set<JobStatus> statuses) {
        for (JobStatus s : statuses) {
            if (!s.isTerminal()) {
                throw new IllegalArgumentException(s + " is not a finished status");
            }
        }
        String in = "status IN ("
                + statuses.stream().map(s -> "'" + s.name() + "'").collect(Collectors.joining(", ")) + ")";
        return statuses.contains(JobStatus.COMPLETED) ? in : in + " AND status <> 'COMPLETED'";
    }

    /** Rows of {@code id, status, node_id, doc}; the document is read only when an attempt ran on another node. */
    private List<Finished> query(String sql, List<Object> args) {
        List<Finished> found = new ArrayList<>();
        try (Connection c = reader.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(finished(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("could not find finished jobs: " + e.getMessage(), e);
        }
        return found;
    }

    /**
     * The job's nodes: its own column, and only if the document names a node twice (an attempt on another node: the
     * store leaves an attempt's node out where it is the job's; routing candidates name nodes too) every node its
     * attempts name, read from the document's {@code attempts} alone: a sweep deletes jobs as fast as they finish, so
     * it does not bind whole documents.
     */
    private static Finished finished(String id, String status, String nodeId, String doc) {
        Set<String> nodes = new LinkedHashSet<>();
        if (nodeId != null) {
            nodes.add(nodeId);
        }
        int first = doc == null ? -1 : doc.indexOf(NODE_ID_FIELD);
        if (first >= 0 && doc.indexOf(NODE_ID_FIELD, first + 1) >= 0) {
            attemptNodes(doc, nodes);
        }
        return new Finished(id, JobStatus.valueOf(status), nodes);
    }

    /** Adds the {@code node_id} of every element of the document's top-level {@code attempts} array. */
    private static void attemptNodes(String doc, Set<String> nodes) {
        try (JsonParser p = Json.mapper().getFactory().createParser(doc)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (!"attempts".equals(field) || value != JsonToken.START_ARRAY) {
                    p.skipChildren();
                    continue;
                }
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String name = p.currentName();
                        p.nextToken();
                        if ("node_id".equals(name) && p.currentToken() == JsonToken.VALUE_STRING) {
                            nodes.add(p.getText());
                        } else {
                            p.skipChildren();
                        }
                    }
                }
                return;
            }
        } catch (IOException e) {
            throw new StoreException("could not read a stored job's attempts: " + e.getMessage(), e);
        }
    }
}
