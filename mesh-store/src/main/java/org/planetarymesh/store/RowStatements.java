package org.planetarymesh.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import org.planetarymesh.store.JobStore.Outcome;
import org.planetarymesh.store.JobWriteBatch.Phase;

/**
 * Runs a phase's {@link RowWrite}s after its job and event writes, in order, on either dialect: a run of rows with the
 * same statement is one JDBC batch, whose row counts give each row its outcome. Rows are few next to job writes, so
 * one batch per run is cheap enough on PostgreSQL too; a row type that becomes hot can get an array statement of its
 * own, as {@link ArrayStatements} does for jobs.
 */
final class RowStatements {

    private RowStatements() {}

    static void write(JobWriteBatch batch, Dialect dialect, Phase phase) throws SQLException {
        int start = 0;
        while (start < phase.size()) {
            String sql = batch.row(phase.index(start)).sql(dialect);
            int end = start;
            PreparedStatement s = batch.statement(sql);
            while (end < phase.size()) {
                RowWrite row = batch.row(phase.index(end));
                if (!row.sql(dialect).equals(sql)) {
                    break;
                }
                row.bind(s);
                s.addBatch();
                end++;
            }
            int[] counts;
            try {
                counts = s.executeBatch();
            } catch (SQLException e) {
                RowWrite first = batch.row(phase.index(start));
                throw new SQLException(
                        "writing rows of " + first.table() + " failed: " + e.getMessage(), e.getSQLState(), e);
            }
            record(batch, phase, start, counts);
            start = end;
        }
    }

    private static void record(JobWriteBatch batch, Phase phase, int start, int[] counts) {
        for (int k = 0; k < counts.length; k++) {
            int index = phase.index(start + k);
            if (counts[k] == Statement.SUCCESS_NO_INFO) {
                throw new StoreException("the JDBC driver reported no row count for a row of "
                        + batch.row(index).table());
            }
            batch.row(index).changed(counts[k]);
            batch.outcome(
                    index, counts[k] > 0 ? Outcome.APPLIED : batch.row(index).whenNoRow());
        }
    }
}
