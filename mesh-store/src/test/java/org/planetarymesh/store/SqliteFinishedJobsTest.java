package org.planetarymesh.store;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

/** Retry and deletion of finished jobs on a real SQLite file. */
class SqliteFinishedJobsTest extends FinishedJobsContract {

    @TempDir
    static Path dir;

    private static final AtomicInteger FILES = new AtomicInteger();

    @Override
    protected String freshDatabaseUrl() {
        return "jdbc:sqlite:" + dir.resolve("finished-" + FILES.incrementAndGet() + ".db");
    }
}
