package org.planetarymesh.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.planetarymesh.testkit.db.PostgresServer;

/** The job store contract on a real PostgreSQL server. */
class PostgresJobStoreTest extends JobStoreContract {

    @Override
    protected String freshDatabaseUrl() {
        return PostgresServer.freshDatabaseUrl();
    }

    @Override
    protected List<String> logUpdatesOfJobs() {
        return List.of(
                "CREATE TABLE jobs_updated (id TEXT)",
                "CREATE FUNCTION log_job_update() RETURNS trigger LANGUAGE plpgsql AS"
                        + " $$ BEGIN INSERT INTO jobs_updated VALUES (NEW.id); RETURN NEW; END $$",
                "CREATE TRIGGER log_job_updates AFTER UPDATE ON jobs FOR EACH ROW EXECUTE FUNCTION log_job_update()");
    }

    /** A server-side prepared statement, planned generically as PostgreSQL may after a few executions. */
    @Override
    protected String genericPlan(Connection c, JdbcJobStore.ListStatement statement) throws SQLException {
        String sql = statement.sql();
        StringBuilder numbered = new StringBuilder();
        int parameter = 0;
        for (char ch : sql.toCharArray()) {
            if (ch == '?') {
                numbered.append('$').append(++parameter);
            } else {
                numbered.append(ch);
            }
        }
        StringBuilder values = new StringBuilder();
        for (String arg : statement.args()) {
            values.append(values.isEmpty() ? "" : ", ").append('\'').append(arg).append('\'');
        }
        StringBuilder plan = new StringBuilder();
        try (Statement s = c.createStatement()) {
            s.execute("SET plan_cache_mode = force_generic_plan");
            s.execute("PREPARE page AS " + numbered);
            try (ResultSet rs = s.executeQuery("EXPLAIN EXECUTE page(" + values + ")")) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
            s.execute("DEALLOCATE page");
        }
        return plan.toString();
    }
}
