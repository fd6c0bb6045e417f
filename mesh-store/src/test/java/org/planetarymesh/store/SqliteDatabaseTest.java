package org.planetarymesh.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.planetarymesh.store.StoreFixtures.aJob;
import static org.planetarymesh.store.StoreFixtures.insert;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.core.job.Job;

/** Opening SQLite the embedded way: a data directory, a WAL-mode file, and reads while a writer is busy. */
class SqliteDatabaseTest {

    @TempDir
    Path dir;

    @Test
    void sqliteCreatesTheDataDirectoryAndAWalModeFileInIt() throws Exception {
        Path dataDir = dir.resolve("nested/.mesh");

        try (Database db = Database.sqlite(dataDir)) {
            assertThat(db.dialect()).isEqualTo("sqlite");
            db.jobs().apply(List.of(insert(aJob())));
        }

        Path file = dataDir.resolve("mesh.db");
        assertThat(file).isRegularFile();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
        }
    }

    @Test
    void theWriterKeepsA64MibPageCacheAndReadersSqlitesDefault() {
        try (Database db = Database.sqlite(dir)) {
            assertThat(db.pragma("cache_size", true)).isEqualTo("-65536");
            assertThat(db.pragma("cache_size", false)).isEqualTo("-2000");
        }
    }

    @Test
    void aNewFileHasSixteenKibPagesAndAnExistingFileKeepsItsOwn() throws Exception {
        Path fresh = dir.resolve("fresh.db");
        try (Database db = Database.open("jdbc:sqlite:" + fresh)) {
            db.jobs().apply(List.of(insert(aJob())));
        }
        Path old = dir.resolve("old.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + old);
                Statement s = c.createStatement()) {
            // A file made before this page size, by SQLite's default: its header is written, its schema empty.
            s.execute("PRAGMA page_size = 4096");
            s.execute("CREATE TABLE made_before (x)");
            s.execute("DROP TABLE made_before");
        }
        try (Database db = Database.open("jdbc:sqlite:" + old)) {
            db.jobs().apply(List.of(insert(aJob())));
        }

        assertThat(pageSize(fresh)).isEqualTo(Database.SQLITE_PAGE_SIZE);
        assertThat(pageSize(old)).isEqualTo(4096);
    }

    private static int pageSize(Path file) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA page_size")) {
            assertThat(rs.next()).isTrue();
            return rs.getInt(1);
        }
    }

    @Test
    void readsSeeCommittedWritesWhileAnotherConnectionHoldsTheWriteLock() throws Exception {
        Path file = dir.resolve("mesh.db");
        try (Database db = Database.open("jdbc:sqlite:" + file)) {
            Job committed = aJob();
            db.jobs().apply(List.of(insert(committed)));
            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
                    Statement s = other.createStatement()) {
                // Another process mid-transaction with the strongest lock: in WAL mode readers still read; with a
                // rollback
                // journal they would wait out the busy timeout and fail.
                s.execute("BEGIN EXCLUSIVE");
                s.execute("DELETE FROM jobs");

                assertThat(db.jobs().find(committed.id())).contains(committed);

                s.execute("ROLLBACK");
            }
        }
    }

    @Test
    void aFileThatCannotBeCreatedFailsWithTheReason() throws Exception {
        Path blocker = Files.writeString(dir.resolve("not-a-dir"), "x");

        assertThatThrownBy(() -> Database.sqlite(blocker.resolve("sub")))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("not-a-dir");
    }
}
