package org.planetarymesh.store;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import org.sqlite.SQLiteException;

/**
 * Tells a failure the store will get over by itself (the server went away, the disk is full or read-only, the file is
 * busy) from one that would fail again on the same writes (a constraint, a bad value, a bug). {@link GroupCommitWriter}
 * retries the first kind and reports the second.
 */
final class TransientFailure {

    /** SQLite's primary result codes that describe the file or the disk, not the statement. */
    private static final int SQLITE_BUSY = 5;

    private static final int SQLITE_LOCKED = 6;
    private static final int SQLITE_NOMEM = 7;
    private static final int SQLITE_READONLY = 8;
    private static final int SQLITE_IOERR = 10;
    private static final int SQLITE_FULL = 13;
    private static final int SQLITE_CANTOPEN = 14;
    private static final int SQLITE_PROTOCOL = 15;

    private TransientFailure() {}

    /** Whether {@code failure}, or anything that caused it, says the store is unavailable rather than the writes wrong. */
    static boolean is(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLiteException sqlite) {
                return sqliteUnavailable(sqlite.getResultCode().code & 0xff);
            }
            if (t instanceof SQLTransientException
                    || t instanceof SQLRecoverableException
                    || t instanceof IOException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null && unavailableState(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static boolean sqliteUnavailable(int primaryCode) {
        return switch (primaryCode) {
            case SQLITE_BUSY,
                    SQLITE_LOCKED,
                    SQLITE_NOMEM,
                    SQLITE_READONLY,
                    SQLITE_IOERR,
                    SQLITE_FULL,
                    SQLITE_CANTOPEN,
                    SQLITE_PROTOCOL -> true;
            default -> false;
        };
    }

    /**
     * PostgreSQL's SQLSTATEs for a lost or refused connection (class 08), a server shutting down or starting
     * (57P01-57P05), resources it ran out of (class 53: disk full, memory, connections), an I/O error (58030), a session
     * it ended for sitting idle in a transaction (25P03, a stalled writer: the batch is committed again) and
     * transactions it aborted for another's sake (40001, 40P01).
     */
    private static boolean unavailableState(String state) {
        return state.startsWith("08")
                || state.startsWith("57P")
                || state.startsWith("53")
                || state.equals("58030")
                || state.equals("25P03")
                || state.equals("40001")
                || state.equals("40P01");
    }
}
