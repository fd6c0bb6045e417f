package org.planetarymesh.coordinator.auction;

import java.time.Duration;
import org.planetarymesh.core.job.BidSelection;

/**
 * How auctions run (seed 002's T1, T2, N1, N2, N3, plus the ack timeout and best-value weights). The defaults suit a
 * LAN, where an agent answers an announcement in well under a millisecond: early close decides nearly every round, so
 * the window only bounds how long a silent node can hold a job up.
 *
 * @param window T2: how long a round stays open at most (a job's {@code placement.window_ms} overrides it); it closes
 *     at once when every node it was announced to has answered. Default 200 ms: two orders of magnitude above a LAN
 *     round trip and a young-GC pause, short enough that a silent node costs a job little
 * @param reannounceInterval T1: the pause before announcing again after a round without an acceptable bid. Default
 *     500 ms: nodes that were full usually have a free slot again within that for short jobs
 * @param reannounces N1: how many times a job is announced again before it fails with {@code no_acceptable_bid}.
 *     Default 3: four rounds, about 2.3 s in all, before the job gives up
 * @param bidRevisions N2: how many times a node may replace its bid within one round (a lower price, say); one more
 *     bid is disqualified as a duplicate. Default 1
 * @param assignRetries N3: how many times {@code assign_job} is sent again to a winner that has not acknowledged it
 *     within {@code ackTimeout}, before the runner-up gets the job. Default 2
 * @param ackTimeout how long a winner has to answer {@code job_accepted} (or the result). Default 1 s: an agent
 *     acknowledges on receipt, so this only catches a node that is gone or wedged
 * @param weights how {@code best_value} weighs price, eta and reputation
 * @param standingOffers whether an auction job may be placed at once on a node's standing offer (heartbeat prices)
 * @param networkJobs whether every scope-NETWORK job is auctioned, whatever placement it asks for
 * @param selection the selection policy for jobs that name none
 */
public record AuctionSettings(
        Duration window,
        Duration reannounceInterval,
        int reannounces,
        int bidRevisions,
        int assignRetries,
        Duration ackTimeout,
        Weights weights,
        boolean standingOffers,
        boolean networkJobs,
        BidSelection selection) {

    /** The defaults described above. */
    public static final AuctionSettings DEFAULTS = new AuctionSettings(
            Duration.ofMillis(200),
            Duration.ofMillis(500),
            3,
            1,
            2,
            Duration.ofSeconds(1),
            new Weights(0.5, 0.3, 0.2),
            true,
            false,
            BidSelection.LOWEST_PRICE);

    /** The weights of {@code best_value}'s score: each part is normalised to 0..1 within the round first. */
    public record Weights(double price, double eta, double reputation) {}

    public AuctionSettings withWindow(Duration value) {
        return new AuctionSettings(
                value,
                reannounceInterval,
                reannounces,
                bidRevisions,
                assignRetries,
                ackTimeout,
                weights,
                standingOffers,
                networkJobs,
                selection);
    }

    public AuctionSettings withReannounce(Duration interval, int times) {
        return new AuctionSettings(
                window,
                interval,
                times,
                bidRevisions,
                assignRetries,
                ackTimeout,
                weights,
                standingOffers,
                networkJobs,
                selection);
    }

    public AuctionSettings withBidRevisions(int value) {
        return new AuctionSettings(
                window,
                reannounceInterval,
                reannounces,
                value,
                assignRetries,
                ackTimeout,
                weights,
                standingOffers,
                networkJobs,
                selection);
    }

    public AuctionSettings withAck(Duration timeout, int retries) {
        return new AuctionSettings(
                window,
                reannounceInterval,
                reannounces,
                bidRevisions,
                retries,
                timeout,
                weights,
                standingOffers,
                networkJobs,
                selection);
    }

    public AuctionSettings withWeights(Weights value) {
        return new AuctionSettings(
                window,
                reannounceInterval,
                reannounces,
                bidRevisions,
                assignRetries,
                ackTimeout,
                value,
                standingOffers,
                networkJobs,
                selection);
    }

    public AuctionSettings withStandingOffers(boolean value) {
        return new AuctionSettings(
                window,
                reannounceInterval,
                reannounces,
                bidRevisions,
                assignRetries,
                ackTimeout,
                weights,
                value,
                networkJobs,
                selection);
    }

    public AuctionSettings withSelection(BidSelection value) {
        return new AuctionSettings(
                window,
                reannounceInterval,
                reannounces,
                bidRevisions,
                assignRetries,
                ackTimeout,
                weights,
                standingOffers,
                networkJobs,
                value);
    }

    public AuctionSettings withNetworkJobs(boolean value) {
        return new AuctionSettings(
                window,
                reannounceInterval,
                reannounces,
                bidRevisions,
                assignRetries,
                ackTimeout,
                weights,
                standingOffers,
                value,
                selection);
    }
}
