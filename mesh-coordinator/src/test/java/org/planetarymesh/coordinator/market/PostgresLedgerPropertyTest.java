package org.planetarymesh.coordinator.market;

import org.planetarymesh.testkit.db.PostgresServer;

/** The ledger property test on a real PostgreSQL server (four writers, so bursts really run concurrently). */
class PostgresLedgerPropertyTest extends LedgerPropertyContract {

    @Override
    protected String[] freshDatabase() {
        String url = PostgresServer.freshDatabaseUrl();
        return new String[] {url, url};
    }
}
