package org.planetarymesh.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.store.FinishedJobs.Range;

/**
 * The deletion of one {@link Range} of finished jobs as a handful of statements, whatever its size: its events, the
 * replica rows of its verified jobs, its SQLite node index entries, then its job rows one statement per status, so the
 * statement counts say how many of each status went. Each statement repeats the range's condition, so a job retried (no longer finished) after retention
 * found the range stays with its events and entries. Read {@link #deleted()} once the writes committed.
 */
public final class RangePurge {

    private final List<JobStore.Write> writes = new ArrayList<>();
    private final Map<JobStatus, int[]> counts = new EnumMap<>(JobStatus.class);

    RangePurge(Range range, Dialect dialect) {
        String condition = condition(range);
        writes.add(row(new Part(
                "job_events",
                "DELETE FROM job_events WHERE job_id IN (SELECT id FROM jobs WHERE " + condition + ")",
                range,
                null,
                null)));
        // A verified job is never placed itself, so only a job that ran on no node has replica rows.
        writes.add(row(new Part(
                "job_replicas",
                "DELETE FROM job_replicas WHERE job_id IN (SELECT id FROM jobs WHERE " + condition
                        + " AND node_id IS NULL)",
                range,
                null,
                null)));
        if (dialect == Dialect.SQLITE) { // PostgreSQL indexes jobs.node_id itself
            for (String node : range.nodeIds()) {
                writes.add(row(new Part(
                        "node_jobs",
                        "DELETE FROM node_jobs WHERE node_id = ? AND job_id IN (SELECT id FROM jobs WHERE " + condition
                                + ")",
                        range,
                        node,
                        null)));
            }
        }
        for (JobStatus status : range.statuses()) {
            int[] count = new int[1];
            counts.put(status, count);
            writes.add(row(new Part(
                    "jobs",
                    "DELETE FROM jobs WHERE " + JdbcFinishedJobs.statusFilter(Set.of(status)) + " AND " + bounds(range),
                    range,
                    null,
                    count)));
        }
    }

    /** The writes to hand to the group commit, in this order. */
    public List<JobStore.Write> writes() {
        return writes;
    }

    /** How many jobs of each status the committed writes deleted. */
    public Map<JobStatus, Long> deleted() {
        Map<JobStatus, Long> out = new EnumMap<>(JobStatus.class);
        counts.forEach((status, count) -> {
            if (count[0] > 0) {
                out.put(status, (long) count[0]);
            }
        });
        return out;
    }

    private static JobStore.Write row(Part part) {
        return new JobStore.Write.Row(part);
    }

    private static String condition(Range range) {
        return JdbcFinishedJobs.statusFilter(range.statuses()) + " AND " + bounds(range);
    }

    /** The id bounds, and the last-change bound of an age limit. */
    private static String bounds(Range range) {
        return "id > ? AND id <= ?" + (range.changedBefore() != null ? " AND updated_at < ?" : "");
    }

    /** One statement of the range's deletion; a job part keeps the count of rows it deleted. */
    private static final class Part extends RowWrite {
        private final String table;
        private final String sql;
        private final Range range;
        private final String nodeId;
        private final int[] count;

        Part(String table, String sql, Range range, String nodeId, int[] count) {
            this.table = table;
            this.sql = sql;
            this.range = range;
            this.nodeId = nodeId;
            this.count = count;
        }

        @Override
        String table() {
            return table;
        }

        @Override
        String sql(Dialect dialect) {
            return sql;
        }

        @Override
        void bind(PreparedStatement statement) throws SQLException {
            int i = 1;
            if (nodeId != null) {
                statement.setString(i++, nodeId);
            }
            statement.setString(i++, range.after() == null ? "" : range.after());
            statement.setString(i++, range.through());
            if (range.changedBefore() != null) {
                statement.setLong(i, range.changedBefore().toEpochMilli());
            }
        }

        @Override
        void changed(int rows) {
            if (count != null) {
                count[0] = rows;
            }
        }

        /** A range whose jobs were all retried or deleted meanwhile deletes nothing, and that is no conflict. */
        @Override
        JobStore.Outcome whenNoRow() {
            return JobStore.Outcome.REFUSED;
        }
    }
}
