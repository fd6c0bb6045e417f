package org.planetarymesh.store;

import java.sql.SQLException;
import org.planetarymesh.store.JobWriteBatch.Phase;

/**
 * How one phase's writes of each kind reach the database, one statement execution per kind, each write given its
 * outcome: {@link RowBatchStatements} (SQLite) or {@link ArrayStatements} (PostgreSQL).
 */
sealed interface PhaseStatements permits RowBatchStatements, ArrayStatements {

    void insertJobs(Phase phase) throws SQLException;

    void updateJobs(Phase phase) throws SQLException;

    void insertEvents(Phase phase) throws SQLException;

    /** Whether two updates of one job in one phase apply in order; if not, the second starts a new phase. */
    boolean updatesOneRowTwice();
}
