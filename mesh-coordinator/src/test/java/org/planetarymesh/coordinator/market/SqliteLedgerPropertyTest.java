package org.planetarymesh.coordinator.market;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The ledger property test on a real SQLite file. */
class SqliteLedgerPropertyTest extends LedgerPropertyContract {

    @TempDir
    Path dir;

    @Override
    protected String[] freshDatabase() {
        String file = dir.resolve("ledger.db").toString();
        // No fsync per commit: this test is about the invariants, not durability (the kill -9 test has that).
        return new String[] {"jdbc:sqlite:" + file + "?synchronous=NORMAL", "jdbc:sqlite:" + file};
    }
}
