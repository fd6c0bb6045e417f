package org.planetarymesh.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

/**
 * A node's outcome counts as they stand, written over the stored ones ({@code node_reputation}): queued as a {@link
 * JobStore.Write.Row} in a group commit, so it lands with the job writes of the same turn or not at all.
 */
public final class ReputationRow extends RowWrite {

    private static final String UPSERT = "INSERT INTO node_reputation"
            + " (node_id, completed, failed, timed_out, invalid_receipts, updated_at) VALUES (?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (node_id) DO UPDATE SET completed = excluded.completed, failed = excluded.failed,"
            + " timed_out = excluded.timed_out, invalid_receipts = excluded.invalid_receipts,"
            + " updated_at = excluded.updated_at";

    private final NodeReputation counts;
    private final Instant at;

    /** The row that records {@code counts} as of {@code at}. */
    public ReputationRow(NodeReputation counts, Instant at) {
        this.counts = counts;
        this.at = at;
    }

    @Override
    String table() {
        return "node_reputation";
    }

    @Override
    String sql(Dialect dialect) {
        return UPSERT; // the same upsert on SQLite (3.24+) and PostgreSQL
    }

    @Override
    void bind(PreparedStatement statement) throws SQLException {
        statement.setString(1, counts.nodeId());
        statement.setLong(2, counts.completed());
        statement.setLong(3, counts.failed());
        statement.setLong(4, counts.timedOut());
        statement.setLong(5, counts.invalidReceipts());
        statement.setString(6, at.toString());
    }
}
