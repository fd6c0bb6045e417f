package org.planetarymesh.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

/** The job store contract on a real SQLite file. */
class SqliteJobStoreTest extends JobStoreContract {

    @TempDir
    static Path dir;

    private static final AtomicInteger FILES = new AtomicInteger();

    @Override
    protected String freshDatabaseUrl() {
        return "jdbc:sqlite:" + dir.resolve("mesh-" + FILES.incrementAndGet() + ".db");
    }

    @Override
    protected List<String> logUpdatesOfJobs() {
        return List.of(
                "CREATE TABLE jobs_updated (id TEXT)",
                "CREATE TRIGGER log_job_updates AFTER UPDATE ON jobs BEGIN INSERT INTO jobs_updated VALUES (NEW.id); END");
    }

    /** SQLite plans each statement once, when prepared, without its bound values. */
    @Override
    protected String genericPlan(Connection c, JdbcJobStore.ListStatement statement) throws SQLException {
        StringBuilder plan = new StringBuilder();
        try (PreparedStatement ps = c.prepareStatement("EXPLAIN QUERY PLAN " + statement.sql())) {
            for (int i = 0; i < statement.args().size(); i++) {
                ps.setString(i + 1, statement.args().get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    plan.append(rs.getString("detail")).append('\n');
                }
            }
        }
        return plan.toString();
    }
}
