package org.planetarymesh.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.planetarymesh.store.JobStore.Outcome;

/**
 * A row of a table other than {@code jobs} (a bid, a receipt, a ledger entry) that must commit in the same transaction
 * as the job writes it belongs to: queue it as a {@link JobStore.Write.Row} in the same {@link JobStore#apply} batch
 * (or {@link GroupCommitWriter#submitAll} group) as those job writes.
 *
 * <p>Each row type is a subclass in this package, next to its migration, so that SQL stays in the store: the
 * constructor and the methods are package-private, and other modules build rows through the subclass's own public
 * constructor or factory with typed fields. A row type gives its statement per dialect (the same string for every row
 * of the type, so a run of rows of one type shares one prepared statement and one JDBC batch) and binds its
 * parameters. The statement's row count is the row's outcome: one or more rows is {@link Outcome#APPLIED}, none is
 * {@link #whenNoRow()} (an {@code INSERT ... ON CONFLICT DO NOTHING} that found its key, or an {@code UPDATE} whose
 * condition did not hold). A statement that fails rolls back the whole batch, job writes included.
 */
public abstract class RowWrite {

    RowWrite() {}

    /** The table the row goes to, for messages. */
    abstract String table();

    /** The statement that writes the row on {@code dialect}, with {@code ?} parameters. */
    abstract String sql(Dialect dialect);

    /** Sets the statement's parameters for this row. */
    abstract void bind(PreparedStatement statement) throws SQLException;

    /** The outcome when the statement changed no row; a conflict unless the type says otherwise. */
    Outcome whenNoRow() {
        return Outcome.CONFLICT;
    }

    /** Told how many rows the statement changed, before the outcome is given; a range deletion counts them. */
    void changed(int rows) {}

    /**
     * Whether the writes after this row in its batch must see it applied: rows run last in their phase, so a row that
     * changes a job row (a requeue, a purge) ends the phase instead, and the job writes after it start a new one.
     */
    boolean endsPhase() {
        return false;
    }
}
