package org.planetarymesh.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

/**
 * A schedule's tick fired: it owes {@code next} now, and {@code jobId} is the job the fire made. The update applies
 * only while the schedule still owes {@code tick} and is not paused; queue it in the same batch as the job's insert.
 */
public final class ScheduleFire extends RowWrite {

    private final String scheduleId;
    private final Instant tick;
    private final Instant firedFor;
    private final Instant next;
    private final String jobId;

    /**
     * Schedule {@code scheduleId}, which owed {@code tick}, fired for {@code firedFor} (the tick itself, or the latest
     * missed one) with job {@code jobId} and owes {@code next}.
     */
    public ScheduleFire(String scheduleId, Instant tick, Instant firedFor, Instant next, String jobId) {
        this.scheduleId = scheduleId;
        this.tick = tick;
        this.firedFor = firedFor;
        this.next = next;
        this.jobId = jobId;
    }

    @Override
    String table() {
        return "schedules";
    }

    @Override
    String sql(Dialect dialect) {
        return "UPDATE schedules SET next_fire = ?, last_fire = ?, last_job_id = ?"
                + " WHERE id = ? AND next_fire = ? AND paused = 0";
    }

    @Override
    void bind(PreparedStatement statement) throws SQLException {
        JdbcScheduleStore.setInstant(statement, 1, next);
        statement.setLong(2, firedFor.toEpochMilli());
        statement.setString(3, jobId);
        statement.setString(4, scheduleId);
        statement.setLong(5, tick.toEpochMilli());
    }
}
