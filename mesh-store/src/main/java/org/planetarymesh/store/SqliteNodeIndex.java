package org.planetarymesh.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * SQLite's index for the {@code node} filter, written behind (migration V5). An index on {@code jobs (node_id, id)}
 * took each completion at its node's own place, so a commit of completions spread over a thousand nodes dirtied a
 * page per node, one 16 KiB WAL frame for about every job (docs/adr/0018). Instead, each job write with a
 * node appends it to {@code node_jobs_pending} in time order ({@link RowBatchStatements}), and once {@link #MOVE_AT}
 * entries have gathered, the commit that sees them moves them, sorted, into {@code node_jobs}: a page per node per
 * move. Both tables are written in the jobs' own transactions, so a crash loses no entry. PostgreSQL logs an index
 * insert as a record, not a page, and keeps its plain index.
 */
final class SqliteNodeIndex {

    /**
     * How many pending entries make a move worth its pages. A move touches about one page per node whatever its size,
     * so with a thousand nodes larger moves cost fewer pages a job (docs/adr/0019); the price is the node
     * filter's scan of the pending table, ~5 MB at most (3–20 ms for a page of one node's jobs at 50,000 entries).
     */
    static final int MOVE_AT = 50_000;

    private SqliteNodeIndex() {}

    /** Inside the caller's write transaction: moves the pending entries if at least {@link #MOVE_AT} have gathered. */
    static void moveIfDue(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                // seq restarts at 1 once the table is empty, so the largest is the count since the last move.
                ResultSet rs = s.executeQuery("SELECT max(seq) FROM node_jobs_pending")) {
            if (!rs.next() || rs.getLong(1) < MOVE_AT) {
                return;
            }
        }
        move(c);
    }

    /** Inside the caller's write transaction: moves every pending entry into {@code node_jobs}. */
    static void move(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("INSERT OR IGNORE INTO node_jobs (node_id, job_id)"
                    + " SELECT node_id, job_id FROM node_jobs_pending AS p"
                    // A job deleted (retention) while its entry waited here leaves no entry behind.
                    + " WHERE EXISTS (SELECT 1 FROM jobs WHERE jobs.id = p.job_id) ORDER BY node_id, job_id");
            s.executeUpdate("DELETE FROM node_jobs_pending");
        }
    }

    /**
     * The list query for one node's jobs, newest first: the moved entries (walked backwards from the cursor along
     * {@code node_jobs}' key) and the pending ones, each checked against the job's current node, merged without
     * duplicates. {@code filters} are the other conditions on {@code j}, each {@code " AND j.x = ?"}; its parameters
     * are {@link #listArgs}.
     */
    static String listSql(String filters, boolean cursor, int limit) {
        // CROSS JOIN keeps the index table the outer loop, so the walk stops after `limit` matches.
        String moved = "SELECT j.id AS id, j.doc AS doc FROM node_jobs AS n CROSS JOIN jobs AS j"
                + " WHERE n.node_id = ? AND j.id = n.job_id AND j.node_id = ?" + filters
                + (cursor ? " AND n.job_id < ?" : "") + " ORDER BY n.job_id DESC LIMIT " + limit;
        String pending = "SELECT j.id AS id, j.doc AS doc FROM node_jobs_pending AS p CROSS JOIN jobs AS j"
                + " WHERE p.node_id = ? AND j.id = p.job_id AND j.node_id = ?" + filters
                + (cursor ? " AND j.id < ?" : "") + " ORDER BY j.id DESC LIMIT " + limit;
        return "SELECT id, doc FROM (SELECT * FROM (" + moved + ") UNION SELECT * FROM (" + pending + "))"
                + " ORDER BY id DESC LIMIT " + limit;
    }

    /** {@link #listSql}'s parameters, the same for each half: node twice, the filters' values, the cursor if any. */
    static List<String> listArgs(String node, List<String> filterArgs, String cursor) {
        List<String> half = new ArrayList<>(filterArgs.size() + 3);
        half.add(node);
        half.add(node);
        half.addAll(filterArgs);
        if (cursor != null) {
            half.add(cursor);
        }
        List<String> both = new ArrayList<>(half);
        both.addAll(half);
        return both;
    }
}
