package org.planetarymesh.store;

import org.planetarymesh.testkit.db.PostgresServer;

/** The node store contract on a real PostgreSQL server. */
class PostgresNodeStoreTest extends NodeStoreContract {

    @Override
    protected String freshDatabaseUrl() {
        return PostgresServer.freshDatabaseUrl();
    }
}
