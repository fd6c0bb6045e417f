package org.planetarymesh.store.market;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.planetarymesh.store.StoreException;

/** The marketplace's reads, on the read pool. */
final class MarketQueries {

    private static final String PURCHASE_COLUMNS = "id, offering_id, buyer, seller, price, fee, status, payload,"
            + " attempt, job_id, result, error, created_at, updated_at, accept_by, accepted_at";
    private static final String OFFERING_COLUMNS = "id, seller, capability, price, max_latency_ms, auto_accept,"
            + " accept_window_ms, description, created_at, withdrawn_at, sold, completed, disputed, latency_total_ms";

    private final DataSource reader;

    MarketQueries(DataSource reader) {
        this.reader = reader;
    }

    private interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> List<T> query(String sql, Row<T> row, Object... args) {
        List<T> out = new ArrayList<>();
        try (Connection c = reader.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row.read(rs));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("could not read the market: " + e.getMessage(), e);
        }
        return out;
    }

    Optional<Account> account(String id) {
        return query(
                        "SELECT id, kind, balance, created_at FROM ledger_accounts WHERE id = ?",
                        MarketQueries::account,
                        id)
                .stream()
                .findFirst();
    }

    List<Account> accounts() {
        return query("SELECT id, kind, balance, created_at FROM ledger_accounts ORDER BY id", MarketQueries::account);
    }

    List<LedgerLine> ledger(String accountId, long beforeSeq, int limit) {
        return query(
                "SELECT m.seq, m.movement_key, m.kind, m.purchase_id, m.memo, e.amount, m.created_at"
                        + " FROM ledger_entries e JOIN ledger_movements m ON m.seq = e.movement_seq"
                        + " WHERE e.account_id = ? AND e.movement_seq < ? ORDER BY e.movement_seq DESC LIMIT ?",
                rs -> new LedgerLine(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getLong(6),
                        rs.getLong(7)),
                accountId,
                beforeSeq <= 0 ? Long.MAX_VALUE : beforeSeq,
                limit);
    }

    Optional<Offering> offering(String id) {
        return query("SELECT " + OFFERING_COLUMNS + " FROM market_offerings WHERE id = ?", MarketQueries::offering, id)
                .stream()
                .findFirst();
    }

    List<Offering> offerings(String seller) {
        String where = seller == null ? "" : " AND seller = ?";
        Object[] args = seller == null ? new Object[0] : new Object[] {seller};
        return query(
                "SELECT " + OFFERING_COLUMNS + " FROM market_offerings WHERE withdrawn_at IS NULL" + where
                        + " ORDER BY created_at DESC, id",
                MarketQueries::offering,
                args);
    }

    Optional<Purchase> purchase(String id) {
        return query("SELECT " + PURCHASE_COLUMNS + " FROM market_purchases WHERE id = ?", MarketQueries::purchase, id)
                .stream()
                .findFirst();
    }

    List<Purchase> purchases(String party, PurchaseStatus status, int limit) {
        List<Object> args = new ArrayList<>();
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        if (party != null) {
            where.append(" AND (buyer = ? OR seller = ?)");
            args.add(party);
            args.add(party);
        }
        if (status != null) {
            where.append(" AND status = ?");
            args.add(status.name());
        }
        args.add(limit);
        return query(
                "SELECT " + PURCHASE_COLUMNS + " FROM market_purchases" + where
                        + " ORDER BY created_at DESC, id LIMIT ?",
                MarketQueries::purchase,
                args.toArray());
    }

    List<Purchase> inStatus(PurchaseStatus status, int limit) {
        return query(
                "SELECT " + PURCHASE_COLUMNS + " FROM market_purchases WHERE status = ? ORDER BY accept_by, id LIMIT ?",
                MarketQueries::purchase,
                status.name(),
                limit);
    }

    private static Account account(ResultSet rs) throws SQLException {
        return new Account(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4));
    }

    private static Offering offering(ResultSet rs) throws SQLException {
        long withdrawn = rs.getLong(10);
        Long withdrawnAt = rs.wasNull() ? null : withdrawn;
        return new Offering(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getLong(4),
                rs.getLong(5),
                rs.getInt(6) == 1,
                rs.getLong(7),
                rs.getString(8),
                rs.getLong(9),
                withdrawnAt,
                rs.getLong(11),
                rs.getLong(12),
                rs.getLong(13),
                rs.getLong(14));
    }

    private static Purchase purchase(ResultSet rs) throws SQLException {
        long accepted = rs.getLong(16);
        Long acceptedAt = rs.wasNull() ? null : accepted;
        return new Purchase(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getLong(5),
                rs.getLong(6),
                PurchaseStatus.valueOf(rs.getString(7)),
                rs.getString(8),
                rs.getInt(9),
                rs.getString(10),
                rs.getString(11),
                rs.getString(12),
                rs.getLong(13),
                rs.getLong(14),
                rs.getLong(15),
                acceptedAt);
    }
}
