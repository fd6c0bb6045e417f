package org.planetarymesh.store.market;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.planetarymesh.store.StoreException;

/**
 * The marketplace's store: the double-entry ledger, offerings and purchases. {@link #settle} is the only way credits
 * move and purchases change status, and it does both in one transaction or not at all (docs/adr/0085).
 */
public final class MarketStore {

    private static final int DEADLOCK_RETRIES = 5;

    private final DataSource writer;
    private final MarketQueries queries;

    /** The store on a database's write and read pools. */
    public MarketStore(DataSource writer, DataSource reader) {
        this.writer = writer;
        this.queries = new MarketQueries(reader);
    }

    /**
     * Applies {@code movement} (may be null) and {@code change} (may be null) in one transaction at time {@code at}
     * (epoch millis): both land or neither does. A movement key used before moves nothing ({@code Duplicate}).
     */
    public SettleOutcome settle(Movement movement, Change change, long at) {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = writer.getConnection()) {
                try {
                    SettleOutcome outcome = new SettleTransaction(c, at).run(movement, change);
                    if (outcome instanceof SettleOutcome.Applied) {
                        c.commit();
                    } else {
                        c.rollback();
                    }
                    return outcome;
                } catch (SQLException e) {
                    abandon(c, e);
                    if (attempt < DEADLOCK_RETRIES && retriable(e)) {
                        continue;
                    }
                    throw e;
                }
            } catch (SQLException e) {
                throw new StoreException("could not settle " + describe(movement, change) + ": " + e.getMessage(), e);
            }
        }
    }

    /** Stores a new offering. */
    public void publish(Offering o) {
        write("publish offering " + o.id(), c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO market_offerings (id, seller, capability, price, max_latency_ms, auto_accept,"
                            + " accept_window_ms, description, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, o.id());
                ps.setString(2, o.seller());
                ps.setString(3, o.capability());
                ps.setLong(4, o.price());
                ps.setLong(5, o.maxLatencyMs());
                ps.setInt(6, o.autoAccept() ? 1 : 0);
                ps.setLong(7, o.acceptWindowMs());
                ps.setString(8, o.description());
                ps.setLong(9, o.createdAt());
                return ps.executeUpdate();
            }
        });
    }

    /** Withdraws an offering (no new purchases; open ones go on); false if it is unknown or already withdrawn. */
    public boolean withdraw(String offeringId, long at) {
        return write("withdraw offering " + offeringId, c -> {
                    try (PreparedStatement ps = c.prepareStatement(
                            "UPDATE market_offerings SET withdrawn_at = ? WHERE id = ? AND withdrawn_at IS NULL")) {
                        ps.setLong(1, at);
                        ps.setString(2, offeringId);
                        return ps.executeUpdate();
                    }
                })
                == 1;
    }

    /** An account, if it exists. */
    public Optional<Account> account(String id) {
        return queries.account(id);
    }

    /** All accounts, by id. */
    public List<Account> accounts() {
        return queries.accounts();
    }

    /** An account's entries, newest first, those before movement {@code beforeSeq} (0: from the newest). */
    public List<LedgerLine> ledger(String accountId, long beforeSeq, int limit) {
        return queries.ledger(accountId, beforeSeq, limit);
    }

    /** An offering, if it exists. */
    public Optional<Offering> offering(String id) {
        return queries.offering(id);
    }

    /** Offerings not withdrawn, of {@code seller} if not null, newest first. */
    public List<Offering> offerings(String seller) {
        return queries.offerings(seller);
    }

    /** A purchase, if it exists. */
    public Optional<Purchase> purchase(String id) {
        return queries.purchase(id);
    }

    /** Purchases where {@code party} is buyer or seller (all if null), of {@code status} if not null, newest first. */
    public List<Purchase> purchases(String party, PurchaseStatus status, int limit) {
        return queries.purchases(party, status, limit);
    }

    /** Purchases in {@code status}, oldest first: the settlement service's sweep. */
    public List<Purchase> inStatus(PurchaseStatus status, int limit) {
        return queries.inStatus(status, limit);
    }

    private interface Write {
        int apply(Connection c) throws SQLException;
    }

    private int write(String what, Write w) {
        try (Connection c = writer.getConnection()) {
            try {
                int n = w.apply(c);
                c.commit();
                return n;
            } catch (SQLException e) {
                abandon(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("could not " + what + ": " + e.getMessage(), e);
        }
    }

    private void abandon(Connection c, SQLException cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
            // A connection that cannot roll back is useless: take it out of the pool.
            if (writer instanceof HikariDataSource hikari) {
                hikari.evictConnection(c);
            }
        }
    }

    /** PostgreSQL's serialization failure and deadlock: the transaction did nothing and may run again. */
    private static boolean retriable(SQLException e) {
        String state = e.getSQLState();
        return "40001".equals(state) || "40P01".equals(state);
    }

    private static String describe(Movement movement, Change change) {
        if (movement != null) {
            return "movement " + movement.key();
        }
        return switch (change) {
            case Change.Create create -> "purchase " + create.purchase().id();
            case Change.Transition t -> "purchase " + t.purchaseId() + " to " + t.to().id();
            case null -> "nothing";
        };
    }
}
