package org.planetarymesh.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The {@link NodeStore} for SQLite and PostgreSQL; both accept the same upsert ({@code ON CONFLICT .. DO UPDATE}). */
final class JdbcNodeStore implements NodeStore {

    private static final String UPSERT = "INSERT INTO nodes (id, name, address, doc) VALUES (?, ?, ?, ?)"
            + " ON CONFLICT (id) DO UPDATE SET name = excluded.name, address = excluded.address, doc = excluded.doc";

    private final DataSource writer;
    private final DataSource reader;

    JdbcNodeStore(DataSource writer, DataSource reader) {
        this.writer = writer;
        this.reader = reader;
    }

    @Override
    public void upsert(NodeRecord node) {
        if (node.id() == null || node.id().isBlank()) {
            throw new IllegalArgumentException("a node needs an id: " + node);
        }
        try (Connection c = writer.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
                ps.setString(1, node.id());
                ps.setString(2, node.name());
                ps.setString(3, node.address());
                ps.setString(4, node.document());
                ps.executeUpdate();
                c.commit();
            } catch (SQLException e) {
                FailedTransaction.abandon(writer, c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("could not save node " + node.id() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<NodeRecord> find(String id) {
        List<NodeRecord> found = query("SELECT id, name, address, doc FROM nodes WHERE id = ?", id);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
    }

    @Override
    public List<NodeRecord> list() {
        return query("SELECT id, name, address, doc FROM nodes ORDER BY id", null);
    }

    @Override
    public void delete(String id) {
        try (Connection c = writer.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM nodes WHERE id = ?")) {
                ps.setString(1, id);
                ps.executeUpdate();
                c.commit();
            } catch (SQLException e) {
                FailedTransaction.abandon(writer, c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("could not delete node " + id + ": " + e.getMessage(), e);
        }
    }

    private List<NodeRecord> query(String sql, String arg) {
        List<NodeRecord> nodes = new ArrayList<>();
        try (Connection c = reader.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            if (arg != null) {
                ps.setString(1, arg);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    nodes.add(new NodeRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("could not read nodes: " + e.getMessage(), e);
        }
        return nodes;
    }
}
