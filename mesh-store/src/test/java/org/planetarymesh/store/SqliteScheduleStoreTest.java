package org.planetarymesh.store;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

/** The schedule store contract on a real SQLite file. */
class SqliteScheduleStoreTest extends ScheduleStoreContract {

    @TempDir
    static Path dir;

    private static final AtomicInteger FILES = new AtomicInteger();

    @Override
    protected String freshDatabaseUrl() {
        return "jdbc:sqlite:" + dir.resolve("schedules-" + FILES.incrementAndGet() + ".db");
    }
}
