package org.planetarymesh.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * A row type the way a later feature adds one (a receipt for a finished job), on a test table: {@code amount} must not
 * be negative, so a row with a negative amount is one the database rejects.
 */
final class TestReceiptRow extends RowWrite {

    static final List<String> CREATE_TABLE =
            List.of("CREATE TABLE test_receipts (job_id TEXT PRIMARY KEY, amount BIGINT NOT NULL CHECK (amount >= 0))");

    private final String jobId;
    private final long amount;

    TestReceiptRow(String jobId, long amount) {
        this.jobId = jobId;
        this.amount = amount;
    }

    @Override
    String table() {
        return "test_receipts";
    }

    @Override
    String sql(Dialect dialect) {
        return switch (dialect) {
            case SQLITE -> "INSERT INTO test_receipts (job_id, amount) VALUES (?, ?) ON CONFLICT DO NOTHING";
            case POSTGRESQL ->
                "INSERT INTO test_receipts (job_id, amount) VALUES (?, ?) ON CONFLICT (job_id) DO NOTHING";
        };
    }

    @Override
    void bind(PreparedStatement statement) throws SQLException {
        statement.setString(1, jobId);
        statement.setLong(2, amount);
    }
}
