package org.planetarymesh.store;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * What to do with a write connection whose transaction failed: roll back what can be, and take the connection out of
 * its pool so that the next transaction gets a fresh one. SQLite ends a transaction by itself on some errors (a full
 * disk); the driver's rollback then fails and it stops opening transactions, so that connection's next batch would
 * commit statement by statement. A broken PostgreSQL connection is useless too.
 */
final class FailedTransaction {

    private FailedTransaction() {}

    /** Rolls back {@code c} (a failure to do so is added to {@code cause}) and evicts it from {@code pool}. */
    static void abandon(DataSource pool, Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
        if (pool instanceof HikariDataSource hikari) {
            hikari.evictConnection(c);
        } else if (pool instanceof FencedDataSource fenced) {
            fenced.pool().evictConnection(FencedDataSource.unfenced(c));
        }
    }
}
