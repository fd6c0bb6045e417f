package org.planetarymesh.store;

import org.planetarymesh.testkit.db.PostgresServer;

/** The schedule store contract on a real PostgreSQL server. */
class PostgresScheduleStoreTest extends ScheduleStoreContract {

    @Override
    protected String freshDatabaseUrl() {
        return PostgresServer.freshDatabaseUrl();
    }
}
