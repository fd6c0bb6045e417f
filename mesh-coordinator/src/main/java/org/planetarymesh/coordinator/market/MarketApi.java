package org.planetarymesh.coordinator.market;

import io.javalin.config.JavalinConfig;

/** The marketplace's routes (docs/API.md, "Marketplace"). */
public final class MarketApi {

    private final AccountsApi accounts;
    private final OfferingsApi offerings;
    private final PurchasesApi purchases;

    public MarketApi(Market market, long maxBodyBytes) {
        this.accounts = new AccountsApi(market, maxBodyBytes);
        this.offerings = new OfferingsApi(market, maxBodyBytes);
        this.purchases = new PurchasesApi(market, maxBodyBytes);
    }

    /** Registers the routes on the coordinator's server. */
    public void routes(JavalinConfig c) {
        c.routes.get("/v1/accounts/{id}", accounts::get);
        c.routes.get("/v1/accounts/{id}/ledger", accounts::ledger);
        c.routes.post("/v1/accounts/{id}/mint", accounts::mint);
        c.routes.get("/v1/offerings", offerings::list);
        c.routes.post("/v1/offerings", offerings::publish);
        c.routes.get("/v1/offerings/{id}", offerings::get);
        c.routes.post("/v1/purchases", purchases::buy);
        c.routes.get("/v1/purchases", purchases::list);
        c.routes.get("/v1/purchases/{id}", purchases::get);
        c.routes.post("/v1/purchases/{id}/accept", purchases::accept);
        c.routes.post("/v1/purchases/{id}/reject", purchases::reject);
        c.routes.post("/v1/purchases/{id}/refund", purchases::refund);
        c.routes.post("/v1/purchases/{id}/retry", purchases::retry);
        c.routes.post("/v1/purchases/{id}/renegotiate", purchases::renegotiate);
    }
}
