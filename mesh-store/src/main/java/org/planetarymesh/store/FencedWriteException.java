package org.planetarymesh.store;

import java.sql.SQLException;

/**
 * A write transaction was refused because this process no longer holds the coordinators' lease: another coordinator
 * took over (the lease's epoch moved past the one this process writes under). Never transient: retrying cannot help.
 */
public final class FencedWriteException extends SQLException {

    /** The SQLSTATE this refusal carries (class 72, "snapshot failure", is unused by PostgreSQL's own errors). */
    public static final String SQL_STATE = "72M44";

    private final long epoch;
    private final long currentEpoch;

    FencedWriteException(long epoch, long currentEpoch) {
        super(
                "write refused: this coordinator writes under lease epoch " + epoch + ", but the lease is at epoch "
                        + currentEpoch + " (another coordinator took over)",
                SQL_STATE);
        this.epoch = epoch;
        this.currentEpoch = currentEpoch;
    }

    /** The epoch this process wrote under. */
    public long epoch() {
        return epoch;
    }

    /** The lease's epoch at the refusal. */
    public long currentEpoch() {
        return currentEpoch;
    }
}
