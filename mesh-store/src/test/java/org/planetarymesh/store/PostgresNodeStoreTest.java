package org.planetarymesh.store;

/** The node store contract on a real PostgreSQL server. */
class PostgresNodeStoreTest extends NodeStoreContract {

    @Override
    protected String freshDatabaseUrl() {
        return PostgresServer.freshDatabaseUrl();
    }
}
