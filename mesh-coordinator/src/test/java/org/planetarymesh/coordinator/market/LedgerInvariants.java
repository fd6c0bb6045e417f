package org.planetarymesh.coordinator.market;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The ledger's invariants, read straight from the database on a connection of its own (not through the store's
 * code): movements balance, credits change only by minting, no balance is negative, escrow holds exactly the open
 * purchases, balances are the sums of their entries, and each purchase was released or refunded at most once.
 */
final class LedgerInvariants implements AutoCloseable {

    private final Connection c;
    private long checkedSeq;

    LedgerInvariants(String jdbcUrl) throws SQLException {
        this.c = DriverManager.getConnection(jdbcUrl);
    }

    /** The cheap checks, after every step; movements are checked once each, as they appear. */
    void checkStep(long mintedTotal) throws SQLException {
        List<String> unbalanced = strings("SELECT m.movement_key FROM ledger_movements m"
                + " LEFT JOIN ledger_entries e ON e.movement_seq = m.seq WHERE m.seq > " + checkedSeq
                + " GROUP BY m.seq, m.movement_key HAVING COALESCE(SUM(e.amount), 0) <> 0 OR COUNT(e.amount) < 2");
        assertThat(unbalanced).as("movements whose entries do not sum to zero").isEmpty();
        checkedSeq = number("SELECT COALESCE(MAX(seq), 0) FROM ledger_movements");

        assertThat(number("SELECT COALESCE(SUM(balance), 0) FROM ledger_accounts"))
                .as("sum of all balances (issuance included)")
                .isZero();
        assertThat(number("SELECT balance FROM ledger_accounts WHERE id = 'platform:issuance'"))
                .as("credits in existence = credits minted")
                .isEqualTo(-mintedTotal);
        assertThat(strings("SELECT id FROM ledger_accounts WHERE balance < 0 AND kind <> 'issuance'"))
                .as("accounts with a negative balance")
                .isEmpty();
        assertThat(number("SELECT balance FROM ledger_accounts WHERE id = 'platform:escrow'"))
                .as("escrow = sum of open purchases")
                .isEqualTo(number("SELECT COALESCE(SUM(price), 0) FROM market_purchases"
                        + " WHERE status IN ('CREATED', 'ACCEPTED', 'DELIVERING', 'DISPUTED')"));
    }

    /** The full checks: every balance against its entries, and every purchase's movements against its status. */
    void checkAll(long mintedTotal) throws SQLException {
        checkStep(mintedTotal);
        assertThat(strings("SELECT a.id FROM ledger_accounts a LEFT JOIN ledger_entries e ON e.account_id = a.id"
                        + " GROUP BY a.id, a.balance HAVING a.balance <> COALESCE(SUM(e.amount), 0)"))
                .as("accounts whose balance is not the sum of their entries")
                .isEmpty();
        assertThat(strings("SELECT p.id FROM market_purchases p WHERE"
                        + " (SELECT COUNT(*) FROM ledger_movements m WHERE m.purchase_id = p.id AND m.kind = 'escrow') <> 1"
                        + " OR (SELECT COUNT(*) FROM ledger_movements m WHERE m.purchase_id = p.id"
                        + "     AND m.kind IN ('release', 'refund')) <> CASE WHEN p.status IN"
                        + "     ('COMPLETED', 'REJECTED', 'EXPIRED', 'REFUNDED') THEN 1 ELSE 0 END"
                        + " OR (p.status = 'COMPLETED' AND NOT EXISTS (SELECT 1 FROM ledger_movements m"
                        + "     WHERE m.purchase_id = p.id AND m.kind = 'release'))"))
                .as("purchases not paid for exactly once, or not settled exactly once for their status")
                .isEmpty();
        assertThat(strings(
                        "SELECT o.id FROM market_offerings o WHERE o.sold <> (SELECT COUNT(*) FROM market_purchases p"
                                + " WHERE p.offering_id = o.id) OR o.completed <> (SELECT COUNT(*) FROM market_purchases p"
                                + " WHERE p.offering_id = o.id AND p.status = 'COMPLETED')"))
                .as("offerings whose sold/completed statistics disagree with their purchases")
                .isEmpty();
    }

    long number(String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    List<String> strings(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Override
    public void close() throws SQLException {
        c.close();
    }
}
