package org.planetarymesh.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import javax.sql.DataSource;

/**
 * The coordinators' lease on PostgreSQL (migration {@code V44_1}): one row whose {@code epoch} names the leader's term
 * and whose {@code renewals} count proves the leader is alive, and the list of coordinators sharing the database.
 *
 * <p>No timestamp decides anything: a standby takes over after it has itself watched {@code renewals} stand still for a
 * whole lease ({@link #takeOver} is a compare-and-set on what it saw), so the machines' clocks need not agree. Every
 * statement runs on its own (auto-commit) connection of the read pool, never on the fenced write pool.
 */
public final class CoordinatorLease {

    /** How long a takeover waits for the share locks of the old leader's open transactions before trying later. */
    private static final String LOCK_TIMEOUT = "1s";

    private final DataSource pool;

    CoordinatorLease(DataSource pool) {
        this.pool = pool;
    }

    /** What the lease row says: the term, who holds it (null before the first leader), and its renewal count. */
    public record State(long epoch, String holder, String holderUrl, long renewals) {}

    /** A coordinator on this database as it last reported itself; {@code silentMillis} by the database's clock. */
    public record Member(String id, String url, String role, Instant startedAt, Instant seenAt, long silentMillis) {}

    /** Reads the lease row. */
    public State read() {
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT epoch, holder, holder_url, renewals FROM coordinator_lease WHERE id = 1")) {
            if (!rs.next()) {
                throw new StoreException("the coordinator_lease row is missing; the database was not migrated");
            }
            return new State(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4));
        } catch (SQLException e) {
            throw new StoreException("could not read the coordinators' lease: " + e.getMessage(), e);
        }
    }

    /**
     * Takes the lease if it is still exactly as {@code seen} (nobody renewed or took it since): the epoch grows by one.
     * Returns the new epoch, or empty if the row moved on or the old leader's transactions held it past the lock
     * timeout.
     */
    public OptionalLong takeOver(State seen, String holder, String holderUrl) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement();
                    PreparedStatement ps = c.prepareStatement("UPDATE coordinator_lease SET epoch = epoch + 1,"
                            + " holder = ?, holder_url = ?, renewals = 0, acquired_at = now(), renewed_at = now()"
                            + " WHERE id = 1 AND epoch = ? AND renewals = ? RETURNING epoch")) {
                s.execute("SET LOCAL lock_timeout = '" + LOCK_TIMEOUT + "'");
                ps.setString(1, holder);
                ps.setString(2, holderUrl);
                ps.setLong(3, seen.epoch());
                ps.setLong(4, seen.renewals());
                OptionalLong epoch = OptionalLong.empty();
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        epoch = OptionalLong.of(rs.getLong(1));
                    }
                }
                c.commit();
                return epoch;
            } catch (SQLException e) {
                c.rollback();
                if ("55P03".equals(e.getSQLState())) {
                    return OptionalLong.empty(); // lock_not_available: the old leader is still mid-transaction
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("could not take the coordinators' lease: " + e.getMessage(), e);
        }
    }

    /** Counts one renewal of the lease held at {@code epoch} by {@code holder}; false if it is no longer theirs. */
    public boolean renew(long epoch, String holder) {
        try (Connection c = pool.getConnection();
                PreparedStatement ps = c.prepareStatement("UPDATE coordinator_lease SET renewals = renewals + 1,"
                        + " renewed_at = now() WHERE id = 1 AND epoch = ? AND holder = ?")) {
            ps.setLong(1, epoch);
            ps.setString(2, holder);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException("could not renew the coordinators' lease: " + e.getMessage(), e);
        }
    }

    /**
     * Gives the lease up (a leader stopping cleanly): a standby then takes over at once instead of after a lease. Does
     * nothing if it is no longer {@code holder}'s at {@code epoch}.
     */
    public void release(long epoch, String holder) {
        try (Connection c = pool.getConnection();
                PreparedStatement ps = c.prepareStatement("UPDATE coordinator_lease SET holder = NULL, holder_url ="
                        + " NULL WHERE id = 1 AND epoch = ? AND holder = ?")) {
            ps.setLong(1, epoch);
            ps.setString(2, holder);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("could not release the coordinators' lease: " + e.getMessage(), e);
        }
    }

    /** Records that coordinator {@code id} at {@code url} runs now as {@code role}. */
    public void report(String id, String url, String role) {
        try (Connection c = pool.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("INSERT INTO coordinators (id, url, role, started_at, seen_at)"
                                + " VALUES (?, ?, ?, now(), now()) ON CONFLICT (id) DO UPDATE SET url = EXCLUDED.url,"
                                + " role = EXCLUDED.role, seen_at = now()")) {
            ps.setString(1, id);
            ps.setString(2, url);
            ps.setString(3, role);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("could not report this coordinator: " + e.getMessage(), e);
        }
    }

    /** Removes coordinator {@code id} from the list (it stops). */
    public void leave(String id) {
        try (Connection c = pool.getConnection();
                PreparedStatement ps = c.prepareStatement("DELETE FROM coordinators WHERE id = ?")) {
            ps.setString(1, id);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("could not remove this coordinator from the list: " + e.getMessage(), e);
        }
    }

    /** Every coordinator that reported itself, most recently seen first. */
    public List<Member> members() {
        List<Member> members = new ArrayList<>();
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, url, role, started_at, seen_at,"
                        + " CAST(EXTRACT(EPOCH FROM (now() - seen_at)) * 1000 AS BIGINT)"
                        + " FROM coordinators ORDER BY seen_at DESC, id")) {
            while (rs.next()) {
                members.add(new Member(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getTimestamp(4).toInstant(),
                        rs.getTimestamp(5).toInstant(),
                        Math.max(0, rs.getLong(6))));
            }
            return members;
        } catch (SQLException e) {
            throw new StoreException("could not list the coordinators: " + e.getMessage(), e);
        }
    }
}
