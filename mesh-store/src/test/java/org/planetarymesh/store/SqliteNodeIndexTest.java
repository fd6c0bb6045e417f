package org.planetarymesh.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.planetarymesh.core.job.JobStatus.ASSIGNED;
import static org.planetarymesh.core.job.JobStatus.RUNNING;
import static org.planetarymesh.store.StoreFixtures.aJob;
import static org.planetarymesh.store.StoreFixtures.insert;
import static org.planetarymesh.store.StoreFixtures.inserts;
import static org.planetarymesh.store.StoreFixtures.update;
import static org.planetarymesh.store.StoreFixtures.withState;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.store.JobStore.JobQuery;
import org.planetarymesh.store.JobStore.Page;

/**
 * SQLite's node filter reads an index written behind ({@link SqliteNodeIndex}): entries pending and entries moved
 * must list the same as one index would, and the move must happen by itself once enough have gathered.
 */
class SqliteNodeIndexTest {

    @TempDir
    Path dir;

    @Test
    void theNodeFilterListsPendingAndMovedEntriesAsOneIndexAndFollowsAJobToItsNewNode() {
        try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("mesh.db"))) {
            JdbcJobStore store = (JdbcJobStore) db.jobs();
            Job movesToB = withState(aJob(), ASSIGNED, "node-a");
            Job onA = withState(aJob(), RUNNING, "node-a");
            Job onB = withState(aJob(), RUNNING, "node-b");
            store.apply(inserts(List.of(movesToB, onA, onB)));
            store.moveNodeIndex();
            Job laterOnA = withState(aJob(), ASSIGNED, "node-a"); // pending, not moved
            store.apply(List.of(insert(laterOnA), update(withState(movesToB, RUNNING, "node-b"))));

            assertThat(ids(list(store, null, "node-a", 10, null))).containsExactly(laterOnA.id(), onA.id());
            assertThat(ids(list(store, null, "node-b", 10, null))).containsExactly(onB.id(), movesToB.id());
            assertThat(ids(list(store, RUNNING, "node-a", 10, null))).containsExactly(onA.id());
            assertThat(ids(list(store, ASSIGNED, "node-a", 10, null))).containsExactly(laterOnA.id());
            assertThat(list(store, null, "node-c", 10, null).jobs()).isEmpty();

            store.moveNodeIndex(); // all moved now, the stale node-a entry of movesToB among them
            assertThat(ids(list(store, null, "node-a", 10, null))).containsExactly(laterOnA.id(), onA.id());
            assertThat(ids(list(store, null, "node-b", 10, null))).containsExactly(onB.id(), movesToB.id());
        }
    }

    @Test
    void pagesOfOneNodeRunNewestFirstAcrossMovedAndPendingEntries() {
        try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("mesh.db"))) {
            JdbcJobStore store = (JdbcJobStore) db.jobs();
            List<Job> jobs = IntStream.range(0, 25)
                    .mapToObj(i -> withState(aJob(), RUNNING, i % 5 == 0 ? "node-b" : "node-a"))
                    .toList();
            store.apply(inserts(jobs.subList(0, 12)));
            store.moveNodeIndex();
            store.apply(inserts(jobs.subList(12, 25)));

            List<String> expected = jobs.stream()
                    .filter(j -> j.nodeId().equals("node-a"))
                    .map(Job::id)
                    .sorted(Comparator.reverseOrder())
                    .toList();
            List<String> seen = new ArrayList<>();
            List<Integer> sizes = new ArrayList<>();
            String cursor = null;
            for (int page = 0; page < 10; page++) { // 3 pages expected; the bound stops a cursor that never ends
                Page p = list(store, null, "node-a", 7, cursor);
                seen.addAll(ids(p));
                sizes.add(p.jobs().size());
                cursor = p.nextCursor();
                if (cursor == null) {
                    break;
                }
            }

            assertThat(sizes).containsExactly(7, 7, 6);
            assertThat(seen).isEqualTo(expected);
        }
    }

    @Test
    void aCommitMovesThePendingEntriesOnceEnoughHaveGathered() throws Exception {
        Path file = dir.resolve("mesh.db");
        try (Database db = Database.open("jdbc:sqlite:" + file)) {
            List<Job> first = IntStream.range(0, SqliteNodeIndex.MOVE_AT - 1)
                    .mapToObj(i -> withState(aJob(), RUNNING, "node-" + (i % 100)))
                    .toList();
            db.jobs().apply(inserts(first));
            assertThat(count(file, "node_jobs_pending")).isEqualTo(SqliteNodeIndex.MOVE_AT - 1);
            assertThat(count(file, "node_jobs")).isZero();

            Job last = withState(aJob(), RUNNING, "node-7");
            db.jobs().apply(List.of(insert(last)));

            assertThat(count(file, "node_jobs_pending")).isZero();
            assertThat(count(file, "node_jobs")).isEqualTo(SqliteNodeIndex.MOVE_AT);
            assertThat(ids(list(db.jobs(), null, "node-7", 1, null))).containsExactly(last.id());
        }
    }

    @Test
    void theMigrationIndexesTheNodesOfJobsStoredBeforeIt() throws Exception {
        Path file = dir.resolve("mesh.db");
        String url = "jdbc:sqlite:" + file;
        Job older = withState(aJob(), RUNNING, "node-a");
        Job newer = withState(aJob(), RUNNING, "node-a");
        Flyway.configure()
                .dataSource(url, null, null)
                .locations("classpath:db/migration/sqlite")
                .target("4")
                .load()
                .migrate();
        try (Connection c = DriverManager.getConnection(url);
                PreparedStatement s = c.prepareStatement(
                        "INSERT INTO jobs (id, status, node_id, scope, doc) VALUES (?, 'RUNNING', 'node-a', 'HYBRID', ?)")) {
            for (Job job : List.of(older, newer)) {
                s.setString(1, job.id());
                s.setString(2, JobDocument.encode(job));
                s.executeUpdate();
            }
        }

        try (Database db = Database.open(url)) {
            assertThat(ids(list(db.jobs(), null, "node-a", 10, null))).containsExactly(newer.id(), older.id());
        }
        assertThat(count(file, "node_jobs")).isEqualTo(2);
    }

    private static Page list(JobStore store, JobStatus status, String node, int limit, String cursor) {
        return store.list(new JobQuery(status, null, node, null, limit, cursor));
    }

    private static List<String> ids(Page page) {
        return page.jobs().stream().map(Job::id).toList();
    }

    private static long count(Path file, String table) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(1);
        }
    }
}
