package org.planetarymesh.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** The {@link TokenStore} for SQLite and PostgreSQL (same SQL for both). */
final class JdbcTokenStore implements TokenStore {

    private final DataSource writer;
    private final DataSource reader;

    JdbcTokenStore(DataSource writer, DataSource reader) {
        this.writer = writer;
        this.reader = reader;
    }

    @Override
    public void insert(TokenRecord token) {
        try (Connection c = writer.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO api_tokens (id, name, role, hash, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, token.id());
                ps.setString(2, token.name());
                ps.setString(3, token.role());
                ps.setString(4, token.hash());
                ps.setLong(5, token.createdAt());
                if (token.revokedAt() == null) {
                    ps.setNull(6, Types.BIGINT);
                } else {
                    ps.setLong(6, token.revokedAt());
                }
                ps.executeUpdate();
                c.commit();
            } catch (SQLException e) {
                FailedTransaction.abandon(writer, c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("could not save token " + token.id() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<TokenRecord> list() {
        List<TokenRecord> tokens = new ArrayList<>();
        try (Connection c = reader.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT id, name, role, hash, created_at, revoked_at FROM api_tokens ORDER BY created_at, id");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long revoked = rs.getLong(6);
                Long revokedAt = rs.wasNull() ? null : revoked; // wasNull() speaks of the column read last
                tokens.add(new TokenRecord(
                        rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5), revokedAt));
            }
        } catch (SQLException e) {
            throw new StoreException("could not read tokens: " + e.getMessage(), e);
        }
        return tokens;
    }

    @Override
    public boolean revoke(String id, long revokedAtMillis) {
        try (Connection c = writer.getConnection()) {
            try (PreparedStatement ps =
                    c.prepareStatement("UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")) {
                ps.setLong(1, revokedAtMillis);
                ps.setString(2, id);
                int changed = ps.executeUpdate();
                c.commit();
                return changed == 1;
            } catch (SQLException e) {
                FailedTransaction.abandon(writer, c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("could not revoke token " + id + ": " + e.getMessage(), e);
        }
    }
}
