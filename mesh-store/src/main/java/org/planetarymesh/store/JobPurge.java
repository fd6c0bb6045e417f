package org.planetarymesh.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.stream.Collectors;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.store.JobStore.Outcome;

/**
 * One statement of a finished job's deletion ({@link FinishedJobs#purge}): its events, one SQLite node index entry, or
 * the job row itself, each only while the job is still finished, so a job retried after retention chose it survives.
 * The events go first: their condition reads the job row.
 */
final class JobPurge extends RowWrite {

    static final String TERMINAL = java.util.Arrays.stream(JobStatus.values())
            .filter(JobStatus::isTerminal)
            .map(s -> "'" + s.name() + "'")
            .collect(Collectors.joining(", "));

    enum Part {
        EVENTS(
                "job_events",
                "DELETE FROM job_events WHERE job_id = ? AND EXISTS (SELECT 1 FROM jobs WHERE id = ?"
                        + " AND status IN (" + TERMINAL + "))"),
        REPLICAS(
                "job_replicas",
                "DELETE FROM job_replicas WHERE job_id = ? AND EXISTS (SELECT 1 FROM jobs WHERE id = ?"
                        + " AND status IN (" + TERMINAL + "))"),
        NODE_ENTRY("node_jobs", "DELETE FROM node_jobs WHERE node_id = ? AND job_id = ?"),
        JOB("jobs", "DELETE FROM jobs WHERE id = ? AND status IN (" + TERMINAL + ")");

        private final String table;
        private final String sql;

        Part(String table, String sql) {
            this.table = table;
            this.sql = sql;
        }
    }

    private final Part part;
    private final String jobId;
    private final String nodeId;

    JobPurge(Part part, String jobId, String nodeId) {
        this.part = part;
        this.jobId = jobId;
        this.nodeId = nodeId;
    }

    @Override
    String table() {
        return part.table;
    }

    @Override
    String sql(Dialect dialect) {
        return part.sql;
    }

    @Override
    void bind(PreparedStatement statement) throws SQLException {
        switch (part) {
            case EVENTS, REPLICAS -> {
                statement.setString(1, jobId);
                statement.setString(2, jobId);
            }
            case NODE_ENTRY -> {
                statement.setString(1, nodeId);
                statement.setString(2, jobId);
            }
            case JOB -> statement.setString(1, jobId);
        }
    }

    /** Nothing to delete: no events, no entry, or a job that is no longer finished (or no longer there). */
    @Override
    Outcome whenNoRow() {
        return Outcome.REFUSED;
    }
}
