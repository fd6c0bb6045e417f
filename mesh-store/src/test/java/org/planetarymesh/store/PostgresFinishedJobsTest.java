package org.planetarymesh.store;

import org.planetarymesh.testkit.db.PostgresServer;

/** Retry and deletion of finished jobs on a real PostgreSQL server. */
class PostgresFinishedJobsTest extends FinishedJobsContract {

    @Override
    protected String freshDatabaseUrl() {
        return PostgresServer.freshDatabaseUrl();
    }
}
