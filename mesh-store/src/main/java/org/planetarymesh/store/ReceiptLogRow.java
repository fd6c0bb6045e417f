package org.planetarymesh.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/** An entry of the receipt log, written in the same transaction as its job's COMPLETED transition. */
public final class ReceiptLogRow extends RowWrite {

    private static final String INSERT = "INSERT INTO receipt_log"
            + " (seq, job_id, attempt, receipt_cid, prev, hash, receipt, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

    private final ReceiptLogStore.StoredEntry entry;

    public ReceiptLogRow(ReceiptLogStore.StoredEntry entry) {
        this.entry = entry;
    }

    @Override
    String table() {
        return "receipt_log";
    }

    @Override
    String sql(Dialect dialect) {
        // A seq taken twice would be a bug in the chain's owner; it must not roll back the job writes with it.
        return switch (dialect) {
            case SQLITE -> INSERT + " ON CONFLICT DO NOTHING";
            case POSTGRESQL -> INSERT + " ON CONFLICT (seq) DO NOTHING";
        };
    }

    @Override
    void bind(PreparedStatement statement) throws SQLException {
        statement.setLong(1, entry.seq());
        statement.setString(2, entry.jobId());
        statement.setInt(3, entry.attempt());
        statement.setString(4, entry.receiptCid());
        statement.setString(5, entry.prev());
        statement.setString(6, entry.hash());
        statement.setString(7, entry.receipt());
        statement.setLong(8, entry.recordedAtMillis());
    }
}
