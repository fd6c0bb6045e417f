package org.planetarymesh.store.market;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One settlement on one connection, in the order every settlement takes its locks (purchase, offering, movement key,
 * accounts sorted by id), so concurrent settlements on PostgreSQL never deadlock. Each step either goes on or answers
 * why the whole transaction must roll back.
 */
final class SettleTransaction {

    private final Connection c;
    private final long at;

    SettleTransaction(Connection c, long at) {
        this.c = c;
        this.at = at;
    }

    /** Runs the settlement; a non-null answer other than {@link SettleOutcome.Applied} means: roll back. */
    SettleOutcome run(Movement movement, Change change) throws SQLException {
        // The transition first: a purchase in the wrong status is the precise answer even when its movement exists.
        SettleOutcome refused = switch (change) {
            case null -> null;
            case Change.Create create -> create(create.purchase());
            case Change.Transition t -> transition(t);
        };
        if (refused != null) {
            return refused;
        }
        if (movement == null) {
            return new SettleOutcome.Applied(0);
        }
        long seq = insertMovement(movement);
        if (seq < 0) {
            return new SettleOutcome.Duplicate(purchaseOf(movement.key()));
        }
        for (Entry e : movement.entries()) {
            SettleOutcome shortOf = post(seq, e);
            if (shortOf != null) {
                return shortOf;
            }
        }
        return new SettleOutcome.Applied(seq);
    }

    private long insertMovement(Movement m) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO ledger_movements (movement_key, kind, purchase_id, memo, created_at) VALUES (?, ?, ?, ?, ?)"
                        + " ON CONFLICT (movement_key) DO NOTHING RETURNING seq")) {
            ps.setString(1, m.key());
            ps.setString(2, m.kind().id());
            ps.setString(3, m.purchaseId());
            ps.setString(4, m.memo());
            ps.setLong(5, at);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    private String purchaseOf(String movementKey) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT purchase_id FROM ledger_movements WHERE movement_key = ?")) {
            ps.setString(1, movementKey);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private SettleOutcome create(Purchase p) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE market_offerings SET sold = sold + 1 WHERE id = ? AND withdrawn_at IS NULL")) {
            ps.setString(1, p.offeringId());
            if (ps.executeUpdate() != 1) {
                return new SettleOutcome.NoOffering(p.offeringId());
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO market_purchases (id, offering_id, buyer, seller, price, fee, status, payload, attempt,"
                        + " job_id, result, error, created_at, updated_at, accept_by, accepted_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, p.id());
            ps.setString(2, p.offeringId());
            ps.setString(3, p.buyer());
            ps.setString(4, p.seller());
            ps.setLong(5, p.price());
            ps.setLong(6, p.fee());
            ps.setString(7, p.status().name());
            ps.setString(8, p.payload());
            ps.setInt(9, p.attempt());
            ps.setString(10, p.jobId());
            ps.setString(11, p.result());
            ps.setString(12, p.error());
            ps.setLong(13, p.createdAt());
            ps.setLong(14, p.updatedAt());
            ps.setLong(15, p.acceptBy());
            setLong(ps, 16, p.acceptedAt());
            ps.executeUpdate();
        }
        return null;
    }

    private SettleOutcome transition(Change.Transition t) throws SQLException {
        Set<PurchaseStatus> from = t.to().predecessors();
        String in = from.stream().map(s -> "'" + s.name() + "'").collect(Collectors.joining(", "));
        String offering;
        try (PreparedStatement ps = c.prepareStatement("UPDATE market_purchases SET status = ?, updated_at = ?,"
                + " job_id = COALESCE(?, job_id), result = COALESCE(?, result), error = COALESCE(?, error),"
                + " attempt = attempt + ?, accepted_at = COALESCE(?, accepted_at)"
                + " WHERE id = ? AND status IN (" + in + ") RETURNING offering_id")) {
            ps.setString(1, t.to().name());
            ps.setLong(2, at);
            ps.setString(3, t.jobId());
            ps.setString(4, t.result());
            ps.setString(5, t.error());
            ps.setInt(6, t.nextAttempt() ? 1 : 0);
            setLong(ps, 7, t.acceptedAt());
            ps.setString(8, t.purchaseId());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new SettleOutcome.WrongState(t.purchaseId(), statusOf(t.purchaseId()));
                }
                offering = rs.getString(1);
            }
        }
        String stats = switch (t.to()) {
            case COMPLETED -> "completed = completed + 1, latency_total_ms = latency_total_ms + ?";
            case DISPUTED -> "disputed = disputed + 1";
            default -> null;
        };
        if (stats != null) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE market_offerings SET " + stats + " WHERE id = ?")) {
                int i = 1;
                if (t.to() == PurchaseStatus.COMPLETED) {
                    ps.setLong(i++, Math.max(0, t.latencyMs()));
                }
                ps.setString(i, offering);
                ps.executeUpdate();
            }
        }
        return null;
    }

    private PurchaseStatus statusOf(String purchaseId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT status FROM market_purchases WHERE id = ?")) {
            ps.setString(1, purchaseId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? PurchaseStatus.valueOf(rs.getString(1)) : null;
            }
        }
    }

    /** Posts one entry; the balance check is in the UPDATE itself, so it holds under concurrent writers. */
    private SettleOutcome post(long seq, Entry e) throws SQLException {
        if (e.amount() > 0) {
            ensureAccount(e.accountId());
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE ledger_accounts SET balance = balance + ?"
                + " WHERE id = ? AND (kind = 'issuance' OR balance + ? >= 0)")) {
            ps.setLong(1, e.amount());
            ps.setString(2, e.accountId());
            ps.setLong(3, e.amount());
            if (ps.executeUpdate() != 1) {
                return new SettleOutcome.Insufficient(e.accountId(), balanceOf(e.accountId()));
            }
        }
        try (PreparedStatement ps =
                c.prepareStatement("INSERT INTO ledger_entries (movement_seq, account_id, amount) VALUES (?, ?, ?)")) {
            ps.setLong(1, seq);
            ps.setString(2, e.accountId());
            ps.setLong(3, e.amount());
            ps.executeUpdate();
        }
        return null;
    }

    private void ensureAccount(String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ledger_accounts (id, kind, balance, created_at)"
                + " VALUES (?, 'user', 0, ?) ON CONFLICT (id) DO NOTHING")) {
            ps.setString(1, id);
            ps.setLong(2, at);
            ps.executeUpdate();
        }
    }

    private long balanceOf(String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT balance FROM ledger_accounts WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    private static void setLong(PreparedStatement ps, int i, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, value);
        }
    }
}
