package org.planetarymesh.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

/**
 * A schedule was run by hand ({@code POST /v1/schedules/{id}/run}) at {@code at} with job {@code jobId}: it is
 * recorded as the last fire; the tick it owes does not change. Queue it in the same batch as the job's insert.
 */
public final class ScheduleRun extends RowWrite {

    private final String scheduleId;
    private final Instant at;
    private final String jobId;

    public ScheduleRun(String scheduleId, Instant at, String jobId) {
        this.scheduleId = scheduleId;
        this.at = at;
        this.jobId = jobId;
    }

    @Override
    String table() {
        return "schedules";
    }

    @Override
    String sql(Dialect dialect) {
        return "UPDATE schedules SET last_fire = ?, last_job_id = ? WHERE id = ?";
    }

    @Override
    void bind(PreparedStatement statement) throws SQLException {
        statement.setLong(1, at.toEpochMilli());
        statement.setString(2, jobId);
        statement.setString(3, scheduleId);
    }
}
