package org.planetarymesh.store;

/** The job store contract on a real PostgreSQL server. */
class PostgresJobStoreTest extends JobStoreContract {

    @Override
    protected String freshDatabaseUrl() {
        return PostgresServer.freshDatabaseUrl();
    }
}
