package org.planetarymesh.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

/**
 * One replica of a verified job as it stands ({@code job_replicas}), written over the stored one: queued as a {@link
 * JobStore.Write.Row} with the replica job's transition, so both land in the same group commit or neither does.
 */
public final class ReplicaRow extends RowWrite {

    private static final String UPSERT = "INSERT INTO job_replicas (job_id, replica, replica_job_id, doc, updated_at)"
            + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (job_id, replica) DO UPDATE SET"
            + " replica_job_id = excluded.replica_job_id, doc = excluded.doc, updated_at = excluded.updated_at";

    private final StoredReplica replica;
    private final Instant at;

    /** The row that records {@code replica} as of {@code at}. */
    public ReplicaRow(StoredReplica replica, Instant at) {
        this.replica = replica;
        this.at = at;
    }

    @Override
    String table() {
        return "job_replicas";
    }

    @Override
    String sql(Dialect dialect) {
        return UPSERT; // the same upsert on SQLite (3.24+) and PostgreSQL
    }

    @Override
    void bind(PreparedStatement statement) throws SQLException {
        statement.setString(1, replica.jobId());
        statement.setInt(2, replica.replica());
        statement.setString(3, replica.replicaJobId());
        statement.setString(4, replica.document());
        statement.setString(5, at.toString());
    }
}
