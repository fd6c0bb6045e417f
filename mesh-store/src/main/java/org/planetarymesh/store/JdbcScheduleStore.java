package org.planetarymesh.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.planetarymesh.core.job.JobSpec;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.core.schedule.MissedFires;
import org.planetarymesh.core.schedule.Schedule;

/** The {@link ScheduleStore} for SQLite and PostgreSQL (same SQL for both); instants are epoch milliseconds. */
final class JdbcScheduleStore implements ScheduleStore {

    private static final String COLUMNS =
            "id, cron, zone, job, missed, paused, next_fire, last_fire, last_job_id, created_at, owner";

    private final DataSource writer;
    private final DataSource reader;

    JdbcScheduleStore(DataSource writer, DataSource reader) {
        this.writer = writer;
        this.reader = reader;
    }

    @Override
    public void insert(Schedule s) {
        write(
                "save schedule " + s.id(),
                "INSERT INTO schedules (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                ps -> {
                    ps.setString(1, s.id());
                    ps.setString(2, s.cron());
                    ps.setString(3, s.zone());
                    ps.setString(4, template(s.job()));
                    ps.setString(5, s.missed().wireName());
                    ps.setInt(6, s.paused() ? 1 : 0);
                    setInstant(ps, 7, s.nextFire());
                    setInstant(ps, 8, s.lastFire());
                    ps.setString(9, s.lastJobId());
                    ps.setLong(10, s.createdAt().toEpochMilli());
                    ps.setString(11, s.owner());
                });
    }

    @Override
    public Optional<Schedule> find(String id) {
        List<Schedule> found = read("SELECT " + COLUMNS + " FROM schedules WHERE id = ?", id);
        return found.stream().findFirst();
    }

    @Override
    public List<Schedule> list() {
        return read("SELECT " + COLUMNS + " FROM schedules ORDER BY created_at, id", null);
    }

    @Override
    public boolean delete(String id) {
        return write("delete schedule " + id, "DELETE FROM schedules WHERE id = ?", ps -> ps.setString(1, id)) == 1;
    }

    @Override
    public boolean setPaused(String id, boolean paused, Instant nextFire) {
        return write(
                        "pause or resume schedule " + id,
                        "UPDATE schedules SET paused = ?, next_fire = ? WHERE id = ?",
                        ps -> {
                            ps.setInt(1, paused ? 1 : 0);
                            setInstant(ps, 2, nextFire);
                            ps.setString(3, id);
                        })
                == 1;
    }

    @Override
    public boolean advance(String id, Instant expected, Instant next) {
        return write(
                        "advance schedule " + id,
                        "UPDATE schedules SET next_fire = ? WHERE id = ? AND next_fire = ?",
                        ps -> {
                            setInstant(ps, 1, next);
                            ps.setString(2, id);
                            ps.setLong(3, expected.toEpochMilli());
                        })
                == 1;
    }

    static void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value.toEpochMilli());
        }
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private int write(String what, String sql, Binder binder) {
        try (Connection c = writer.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                binder.bind(ps);
                int changed = ps.executeUpdate();
                c.commit();
                return changed;
            } catch (SQLException e) {
                FailedTransaction.abandon(writer, c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("could not " + what + ": " + e.getMessage(), e);
        }
    }

    private List<Schedule> read(String sql, String id) {
        List<Schedule> schedules = new ArrayList<>();
        try (Connection c = reader.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            if (id != null) {
                ps.setString(1, id);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    schedules.add(schedule(rs));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("could not read schedules: " + e.getMessage(), e);
        }
        return schedules;
    }

    private static Schedule schedule(ResultSet rs) throws SQLException {
        return new Schedule(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                spec(rs.getString(4)),
                MissedFires.fromWire(rs.getString(5)).orElse(MissedFires.RUN_ONCE),
                rs.getInt(6) != 0,
                instant(rs, 7),
                instant(rs, 8),
                rs.getString(9),
                Instant.ofEpochMilli(rs.getLong(10)),
                rs.getString(11));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    private static String template(JobSpec spec) {
        try {
            return Json.mapper().writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new StoreException("could not write a schedule's job template: " + e.getMessage(), e);
        }
    }

    private static JobSpec spec(String json) {
        try {
            return Json.mapper().readValue(json, JobSpec.class);
        } catch (JsonProcessingException e) {
            throw new StoreException("could not read a schedule's job template: " + e.getMessage(), e);
        }
    }
}
