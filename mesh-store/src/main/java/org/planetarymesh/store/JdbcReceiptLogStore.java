package org.planetarymesh.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The {@link ReceiptLogStore} for SQLite and PostgreSQL (same SQL for both). */
final class JdbcReceiptLogStore implements ReceiptLogStore {

    private static final String COLUMNS = "seq, job_id, attempt, receipt_cid, prev, hash, receipt, recorded_at";

    private final DataSource reader;

    JdbcReceiptLogStore(DataSource reader) {
        this.reader = reader;
    }

    @Override
    public Optional<StoredEntry> head() {
        return first("SELECT " + COLUMNS + " FROM receipt_log ORDER BY seq DESC LIMIT 1", null);
    }

    @Override
    public Optional<StoredEntry> forJob(String jobId) {
        return first("SELECT " + COLUMNS + " FROM receipt_log WHERE job_id = ? ORDER BY seq DESC LIMIT 1", jobId);
    }

    @Override
    public List<StoredEntry> from(long seq, int limit) {
        try (Connection c = reader.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT " + COLUMNS + " FROM receipt_log WHERE seq >= ? ORDER BY seq LIMIT ?")) {
            ps.setLong(1, seq);
            ps.setInt(2, limit);
            List<StoredEntry> entries = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    entries.add(entry(rs));
                }
            }
            return entries;
        } catch (SQLException e) {
            throw new StoreException("could not read the receipt log from seq " + seq + ": " + e.getMessage(), e);
        }
    }

    private Optional<StoredEntry> first(String sql, String jobId) {
        try (Connection c = reader.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            if (jobId != null) {
                ps.setString(1, jobId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(entry(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("could not read the receipt log: " + e.getMessage(), e);
        }
    }

    private static StoredEntry entry(ResultSet rs) throws SQLException {
        return new StoredEntry(
                rs.getLong(1),
                rs.getString(2),
                rs.getInt(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7),
                rs.getLong(8));
    }
}
