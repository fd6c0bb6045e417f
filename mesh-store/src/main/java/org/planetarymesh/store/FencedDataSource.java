package org.planetarymesh.store;

import com.zaxxer.hikari.HikariDataSource;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.function.LongConsumer;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The write pool, fenced by the coordinators' lease: once {@link #fence} names an epoch, every transaction on a
 * connection it hands out reads the lease row {@code FOR SHARE} just before it commits, and commits only if the epoch is
 * still that one (else it fails with {@link FencedWriteException}, and the caller rolls it back).
 *
 * <p>Why this is enough: a takeover is an {@code UPDATE} of that row, which waits for every transaction holding the
 * share lock to end, and every transaction that locks the row after the takeover committed reads the new epoch. So a
 * write of the old leader either committed before the new leader's epoch existed, or is refused. The lock is held only
 * between the check and the commit; a leader paused in just that moment cannot block a takeover for long either: the
 * pool's sessions carry {@code idle_in_transaction_session_timeout}, and PostgreSQL ends such a session. Every store writes through this pool
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
        return (Connection) Proxy.newProxyInstance(
                Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, new FenceAtCommit(c, expected));
    }

    /** The connection {@code c} hands out, without the fence: what the pool knows (to evict it). */
    static Connection unfenced(Connection c) {
        if (Proxy.isProxyClass(c.getClass()) && Proxy.getInvocationHandler(c) instanceof FenceAtCommit fence) {
            return fence.delegate;
        }
        return c;
    }

    /**
     * Checks the epoch right before each commit, so the share lock on the lease row is held only from the check to the
     * commit: a transaction may take its time (a slow batch, a GC pause) without holding up a takeover.
     */
    private final class FenceAtCommit implements InvocationHandler {
        private final Connection delegate;
        private final long expected;

        FenceAtCommit(Connection delegate, long expected) {
            this.delegate = delegate;
            this.expected = expected;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getName().equals("commit") && method.getParameterCount() == 0) {
                long current = currentEpoch(delegate);
                if (current != expected) {
                    onFenced.accept(current);
                    throw new FencedWriteException(expected, current);
                }
            }
            try {
                return method.invoke(delegate, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
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
