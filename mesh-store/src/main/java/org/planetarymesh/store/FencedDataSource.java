package org.planetarymesh.store;

import com.zaxxer.hikari.HikariDataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.function.LongConsumer;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The write pool, fenced by the coordinators' lease: once {@link #fence} names an epoch, every connection it hands out
 * has begun its transaction by reading the lease row {@code FOR SHARE} and checking that the epoch is still that one.
 *
 * <p>Why this is enough: a takeover is an {@code UPDATE} of that row, which waits for every transaction holding the
 * share lock to end, and every transaction that locks the row after the takeover committed reads the new epoch. So a
 * write of the old leader either committed before the new leader's epoch existed, or is refused. A leader paused in
 * the middle of a transaction cannot block a takeover for long: the pool's sessions carry
 * {@code idle_in_transaction_session_timeout}, and PostgreSQL ends such a session. Every store writes through this pool
 * (jobs, nodes, tokens, schedules, the group commit), so no write of a deposed leader lands.
 */
final class FencedDataSource implements DataSource {

    private static final String CHECK = "SELECT epoch FROM coordinator_lease WHERE id = 1 FOR SHARE";
    private static final long UNFENCED = -1;

    private final HikariDataSource pool;
    private volatile long epoch = UNFENCED;
    private volatile LongConsumer onFenced = e -> {};

    FencedDataSource(HikariDataSource pool) {
        this.pool = pool;
    }

    /** From now on a transaction commits only while the lease is at {@code epoch}; {@code onFenced} hears otherwise. */
    void fence(long epoch, LongConsumer onFenced) {
        this.onFenced = onFenced;
        this.epoch = epoch;
    }

    HikariDataSource pool() {
        return pool;
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection c = pool.getConnection();
        long expected = epoch;
        if (expected == UNFENCED) {
            return c;
        }
        try {
            long current = currentEpoch(c);
            if (current != expected) {
                FencedWriteException refused = new FencedWriteException(expected, current);
                onFenced.accept(current);
                throw refused;
            }
            return c;
        } catch (SQLException | RuntimeException e) {
            FailedTransaction.abandon(pool, c, e);
            try {
                c.close();
            } catch (SQLException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    private static long currentEpoch(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(CHECK);
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("the coordinator_lease row is missing; the database was not migrated");
            }
            return rs.getLong(1);
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the write pool has its own credentials");
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : pool.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || pool.isWrapperFor(type);
    }
}
