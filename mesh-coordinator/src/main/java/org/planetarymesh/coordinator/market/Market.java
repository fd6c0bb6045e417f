package org.planetarymesh.coordinator.market;

import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.planetarymesh.coordinator.events.JobEventHub;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.store.JobStore;
import org.planetarymesh.store.JobStore.Outcome;
import org.planetarymesh.store.market.MarketStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The marketplace wired together: the settlement service, the payment checks of this coordinator's network, and the
 * runner that turns accepted purchases into jobs on the seller's node. Its HTTP face is {@link MarketApi}.
 */
public final class Market implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Market.class);

    private final MarketStore store;
    private final Settlement settlement;
    private final PaymentVerifier payments;
    private final PurchaseRunner runner;
    private final JobEventHub hub;
    private final String network;
    private final InstantSource clock;
    private AutoCloseable ends;

    /** The market of the coordinator {@code coordinatorDid}, storing in {@code store}, submitting through {@code intake}. */
    public Market(
            MarketStore store,
            JobStore jobs,
            Function<List<Job>, CompletableFuture<List<Outcome>>> intake,
            JobEventHub hub,
            String coordinatorDid,
            InstantSource clock) {
        this.store = store;
        this.settlement = new Settlement(store, clock);
        this.network = "mesh:" + coordinatorDid;
        this.payments = new PaymentVerifier(network);
        this.runner = new PurchaseRunner(store, settlement, jobs, intake, clock);
        this.hub = hub;
        this.clock = clock;
    }

    /** Starts following job ends and sweeping for unfinished settlements. */
    public Market start() {
        ends = hub.observeEnds(runner::jobEnded);
        runner.start();
        return this;
    }

    MarketStore store() {
        return store;
    }

    Settlement settlement() {
        return settlement;
    }

    PaymentVerifier payments() {
        return payments;
    }

    PurchaseRunner runner() {
        return runner;
    }

    /** The x402 network this coordinator's payments name: {@code mesh:<coordinator did>}. */
    public String network() {
        return network;
    }

    long now() {
        return clock.millis();
    }

    @Override
    public void close() {
        runner.close();
        if (ends != null) {
            try {
                ends.close();
            } catch (Exception e) {
                LOG.debug("closing the job-end observer failed", e);
            }
        }
    }
}
