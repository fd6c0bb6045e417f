package org.planetarymesh.coordinator.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.coordinator.auction.AuctionSettings;
import org.planetarymesh.coordinator.scheduler.SchedulerHarness.FakeNode;
import org.planetarymesh.core.auction.BidSigning;
import org.planetarymesh.core.job.AuctionRecord;
import org.planetarymesh.core.job.ErrorCode;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.job.Resources;
import org.planetarymesh.core.protocol.Message;
import org.planetarymesh.testkit.agent.RawAgent;

/**
 * The auction's rules on the real scheduler with a fake clock: early close, the window, re-announcement and failure
 * with {@code no_acceptable_bid}, selection, each disqualification, the acknowledgement timeout and the runner-up,
 * standing offers, and reputation as a requirement. Nodes are fake links, but their keys and signatures are real.
 */
class AuctionRulesTest {

    private static final AuctionSettings SETTINGS = AuctionSettings.DEFAULTS
            .withWindow(Duration.ofMillis(200))
            .withReannounce(Duration.ofMillis(500), 2)
            .withAck(Duration.ofMillis(1_000), 2);
    private static final Resources BIG = new Resources(8, 8192, 0);
    private static final String AUCTION = "{\"type\":\"echo\",\"placement\":{\"policy\":\"auction\"";

    @TempDir
    Path dir;

    private SchedulerHarness mesh;

    @BeforeEach
    void start() {
        mesh = new SchedulerHarness(dir, c -> c.withAuction(SETTINGS));
    }

    @AfterEach
    void stop() {
        mesh.close();
    }

    /** A node with a real Ed25519 key, who signs its bids. */
    private final class Bidder {
        final RawAgent.Identity key;
        final FakeNode link;
        Resources offers = BIG;

        Bidder(Resources has, Map<String, Long> standing) throws Exception {
            key = RawAgent.Identity.generate();
            Message.Hello hello = new Message.Hello(
                    key.did(),
                    "n",
                    List.of("echo"),
                    List.of("echo"),
                    List.of(),
                    1,
                    has,
                    Map.of(),
                    standing,
                    null,
                    key.publicKeyBase64(),
                    List.of());
            link = mesh.connect(hello);
        }

        Bidder() throws Exception {
            this(BIG, Map.of());
        }

        String id() {
            return key.did();
        }

        Message.JobAnnouncement announcement() {
            return link.sent.stream()
                    .filter(Message.JobAnnouncement.class::isInstance)
                    .map(Message.JobAnnouncement.class::cast)
                    .reduce((a, b) -> b)
                    .orElseThrow(() -> new AssertionError("no announcement reached " + id()));
        }

        long announcements() {
            return link.sent.stream()
                    .filter(Message.JobAnnouncement.class::isInstance)
                    .count();
        }

        Message.JobBid bid(Message.JobAnnouncement a, long price, long eta) throws Exception {
            return signed(a.jobId(), a.nonce(), price, eta, 1, key);
        }

        Message.JobBid signed(String jobId, String nonce, long price, long eta, int free, RawAgent.Identity signer)
                throws Exception {
            String signature = signer.sign(BidSigning.canonical(jobId, id(), nonce, price, eta, free));
            return new Message.JobBid(jobId, price, eta, offers, signature, nonce, free);
        }

        void bids(long price, long eta) throws Exception {
            link.report(bid(announcement(), price, eta));
        }

        void declines() {
            Message.JobAnnouncement a = announcement();
            link.report(new Message.JobDecline(a.jobId(), a.nonce(), "no free slot"));
        }
    }

    private Job auction(String extra) {
        return mesh.submit(AUCTION + extra + "}}");
    }

    private AuctionRecord record(Job job) {
        return mesh.job(job.id()).routing().auction();
    }

    private static List<String> reasons(AuctionRecord record, String nodeId) {
        return record.bids().stream()
                .filter(b -> b.nodeId().equals(nodeId))
                .map(AuctionRecord.Bid::reason)
                .toList();
    }

    private static AuctionRecord.Bid entry(AuctionRecord record, String nodeId) {
        return record.bids().stream()
                .filter(b -> b.nodeId().equals(nodeId))
                .reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no entry for " + nodeId + " in " + record));
    }

    @Test
    void theRoundClosesAsSoonAsEveryNodeAnsweredAndTheCheapestBidWins() throws Exception {
        Bidder cheap = new Bidder();
        Bidder dear = new Bidder();
        Bidder busy = new Bidder();
        Job job = auction("");

        dear.bids(30, 0);
        cheap.bids(10, 5);
        assertThat(cheap.link.assignments()).as("busy has not answered yet").isEmpty();
        busy.declines();

        assertThat(cheap.link.lastAssignment().jobId())
                .as("no clock advanced: early close")
                .isEqualTo(job.id());
        AuctionRecord record = record(job);
        assertThat(record.mode()).isEqualTo("bids");
        assertThat(record.price()).isEqualTo(10);
        assertThat(entry(record, cheap.id()).outcome()).isEqualTo("won");
        assertThat(entry(record, dear.id()).reason()).isEqualTo("price 30 above the winner's 10");
        assertThat(entry(record, busy.id()).outcome()).isEqualTo("declined");
        assertThat(mesh.job(job.id()).routing().winner()).isEqualTo(cheap.id());
    }

    @Test
    void fastestPicksTheSmallestEtaAndBestValueWeighsPriceEtaAndReputation() throws Exception {
        Bidder cheapSlow = new Bidder();
        Bidder dearFast = new Bidder();
        Job fastest = auction(",\"selection\":\"fastest\"");
        cheapSlow.bids(5, 900);
        dearFast.bids(50, 10);
        assertThat(dearFast.link.lastAssignment().jobId()).isEqualTo(fastest.id());
        assertThat(entry(record(fastest), cheapSlow.id()).reason()).isEqualTo("eta 900 ms behind the winner's 10 ms");

        dearFast.link.done(dearFast.link.lastAssignment());
        Job value = auction(",\"selection\":\"best_value\"");
        cheapSlow.bids(5, 900);
        dearFast.bids(50, 10);
        // price 0.5 x 1 + eta 0.3 x 11/901 vs price 0.5 x 6/51 + eta 0.3 x 1, plus reputation: the cheap one wins
        assertThat(cheapSlow.link.lastAssignment().jobId()).isEqualTo(value.id());
        assertThat(entry(record(value), dearFast.id()).reason()).startsWith("score ");
    }

    @Test
    void theWindowClosesAtT2WithTheBestBidSoFar() throws Exception {
        Bidder bidder = new Bidder();
        Bidder silent = new Bidder();
        Job job = auction("");
        bidder.bids(7, 0);

        mesh.advance(Duration.ofMillis(199));
        assertThat(bidder.link.assignments()).isEmpty();
        mesh.advance(Duration.ofMillis(1));

        assertThat(bidder.link.lastAssignment().jobId()).isEqualTo(job.id());
        assertThat(entry(record(job), silent.id()).outcome()).isEqualTo("no_answer");
    }

    @Test
    void withoutAnAcceptableBidTheJobIsAnnouncedAgainEveryT1ThenFailsSayingWhy() throws Exception {
        Bidder busy = new Bidder();
        Job job = auction("");
        busy.declines(); // round 1 closes at once

        assertThat(busy.announcements()).isEqualTo(1);
        mesh.advance(Duration.ofMillis(499));
        assertThat(busy.announcements()).isEqualTo(1);
        mesh.advance(Duration.ofMillis(1));
        assertThat(busy.announcements()).as("round 2 after T1").isEqualTo(2);
        assertThat(busy.announcement().round()).isEqualTo(2);
        busy.declines();
        mesh.advance(Duration.ofMillis(500));
        assertThat(busy.announcements()).isEqualTo(3);
        busy.declines();

        Job failed = mesh.job(job.id());
        assertThat(failed.status()).as("N1 = 2 re-announcements, then no more").isEqualTo(JobStatus.FAILED);
        assertThat(failed.error().codeKind()).isEqualTo(ErrorCode.NO_ACCEPTABLE_BID);
        assertThat(failed.error().message())
                .isEqualTo("no acceptable bid in 3 rounds: " + busy.id() + " declined (no free slot)");
        assertThat(failed.routing().auction().bids()).hasSize(3);
    }

    @Test
    void everyDisqualifiedBidIsRecordedWithItsReasonAndNoneWins() throws Exception {
        Bidder dear = new Bidder();
        Bidder small = new Bidder();
        Bidder forger = new Bidder();
        Bidder twice = new Bidder();
        Bidder outsider = new Bidder(new Resources(1, 512, 0), Map.of());
        RawAgent.Identity stranger = RawAgent.Identity.generate();
        small.offers = new Resources(4, 4096, 0);
        Job job = mesh.submit("{\"type\":\"echo\",\"requirements\":{\"resources\":{\"cpu\":8}},"
                + "\"placement\":{\"policy\":\"auction\",\"max_price\":20}}");
        // outsider has 1 cpu: the job was not announced to it, yet it bids with a nonce it learnt elsewhere
        Message.JobAnnouncement a = dear.announcement();

        dear.link.report(dear.bid(a, 21, 0));
        small.link.report(small.bid(a, 5, 0)); // offers 4 cpus, the job needs 8
        forger.link.report(forger.signed(a.jobId(), a.nonce(), 1, 0, 1, stranger));
        twice.link.report(twice.bid(a, 25, 0), twice.bid(a, 24, 0), twice.bid(a, 23, 0));
        outsider.link.report(outsider.bid(a, 1, 0));

        mesh.advance(Duration.ofMillis(200));

        AuctionRecord record = record(job);
        assertThat(reasons(record, outsider.id()))
                .containsExactly("not announced to this node: no round of this job" + " went to it");
        assertThat(reasons(record, forger.id()))
                .containsExactly(
                        "bad signature: it does not verify with the node's key", "no bid before the window closed");
        assertThat(reasons(record, twice.id()))
                .containsExactly(
                        "duplicate: it already bid 2 times in round 1", "above max_price: price 24 > max_price 20");
        assertThat(reasons(record, dear.id())).containsExactly("above max_price: price 21 > max_price 20");
        assertThat(reasons(record, small.id()).getFirst()).startsWith("fails requirements: offers Resources[cpu=4.0");
        assertThat(mesh.job(job.id()).status())
                .as("no winner: waits to announce again")
                .isEqualTo(JobStatus.QUEUED);
        assertThat(List.of(dear, small, forger, twice, outsider))
                .allMatch(b -> b.link.assignments().isEmpty());
    }

    @Test
    void aBidForAClosedRoundIsLateAndOneReplayedIntoTheNextRoundIsRefused() throws Exception {
        Bidder quick = new Bidder();
        Bidder slow = new Bidder();
        Job job = auction("");
        Message.JobAnnouncement first = slow.announcement();
        quick.declines();
        mesh.advance(Duration.ofMillis(200), quick.link, slow.link); // round 1 closes without a bid

        Message.JobBid tooLate = slow.bid(first, 3, 0);
        slow.link.report(tooLate);
        mesh.advance(Duration.ofMillis(500), quick.link, slow.link); // round 2
        assertThat(slow.announcement().round()).isEqualTo(2);
        slow.link.report(tooLate);
        assertThat(slow.link.assignments()).isEmpty();

        slow.bids(3, 0);
        quick.bids(4, 0);

        assertThat(slow.link.lastAssignment().jobId()).isEqualTo(job.id());
        assertThat(reasons(record(job), slow.id()))
                .containsExactly(
                        "no bid before the window closed",
                        "late: round 1 had closed",
                        "replayed: signed for round 1, round 2 is open",
                        null);
        assertThat(entry(record(job), slow.id()).outcome()).isEqualTo("won");
        slow.link.report(slow.bid(slow.announcement(), 3, 0)); // the winning bid again: its job is placed, ignored
        assertThat(slow.link.assignments()).hasSize(1);
    }

    @Test
    void aWinnerThatNeverAcknowledgesIsSentTheJobN3TimesMoreThenTheRunnerUpGetsIt() throws Exception {
        Bidder mute = new Bidder();
        Bidder second = new Bidder();
        mesh.submit("{\"type\":\"sleep\"}"); // a job no node runs: it stays queued and changes nothing
        Job job = auction("");
        mute.bids(1, 0);
        second.bids(2, 0);
        assertThat(mute.link.assignments()).hasSize(1);

        mesh.advance(Duration.ofMillis(1_000), mute.link, second.link);
        assertThat(mute.link.assignments()).as("first resend").hasSize(2);
        mesh.advance(Duration.ofMillis(1_000), mute.link, second.link);
        assertThat(mute.link.assignments()).as("second resend (N3 = 2)").hasSize(3);
        assertThat(second.link.assignments()).isEmpty();
        mesh.advance(Duration.ofMillis(1_000), mute.link, second.link);

        assertThat(second.link.lastAssignment().jobId()).isEqualTo(job.id());
        assertThat(mute.link.cancels()).extracting(Message.JobCancel::jobId).contains(job.id());
        Job placed = mesh.job(job.id());
        assertThat(placed.routing().auction().mode()).isEqualTo("runner_up");
        assertThat(placed.attempts().getFirst().error().message())
                .isEqualTo("node " + mute.id() + " did not acknowledge assign_job within 1000 ms");
        assertThat(placed.attempts().getFirst().outcome()).as("no attempt used").isEqualTo("rejected");
    }

    @Test
    void aWinnerThatFailsIsFollowedByTheRunnerUpNeverByItself() throws Exception {
        Bidder cheap = new Bidder();
        Bidder next = new Bidder();
        Job job = mesh.submit("{\"type\":\"echo\",\"retry\":{\"max_attempts\":3,\"backoff\":{\"initial_ms\":10}},"
                + "\"placement\":{\"policy\":\"auction\"}}");
        cheap.bids(1, 0);
        next.bids(2, 0);
        cheap.link.fail(cheap.link.lastAssignment(), "executor_error", true);

        mesh.advance(Duration.ofMillis(100), cheap.link, next.link);

        assertThat(next.link.lastAssignment().jobId()).isEqualTo(job.id());
        assertThat(next.link.lastAssignment().attempt()).isEqualTo(2);
        assertThat(cheap.link.assignments()).hasSize(1);
        next.link.fail(next.link.lastAssignment(), "executor_error", true);
        mesh.advance(Duration.ofMillis(100), cheap.link, next.link);
        // No runner-up left: a new round, where both failed nodes bid again and the cheaper may have it.
        assertThat(cheap.announcement().round()).isEqualTo(1);
        assertThat(cheap.announcements()).isEqualTo(2);
    }

    @Test
    void aStandingOfferWithinTheJobsLimitsPlacesItWithoutARound() throws Exception {
        Bidder offering = new Bidder(BIG, Map.of("echo", 3L));
        Bidder other = new Bidder();

        Job cheapEnough = auction(",\"max_price\":5");
        assertThat(offering.link.lastAssignment().jobId()).isEqualTo(cheapEnough.id());
        assertThat(other.announcements()).isZero();
        AuctionRecord record = record(cheapEnough);
        assertThat(record.mode()).isEqualTo("standing_offer");
        assertThat(record.price()).isEqualTo(3);

        offering.link.done(offering.link.lastAssignment());
        Job tooCheap = auction(",\"max_price\":2");
        assertThat(other.announcements())
                .as("the offer is above max_price: a round of bids")
                .isEqualTo(1);
        assertThat(mesh.job(tooCheap.id()).status()).isEqualTo(JobStatus.QUEUED);
    }

    @Test
    void reputationFollowsOutcomesAndMinReputationDisqualifiesALowOne() throws Exception {
        Bidder flaky = new Bidder();
        Bidder solid = new Bidder();
        Job first = auction("");
        flaky.bids(1, 0);
        solid.bids(2, 0);
        flaky.link.fail(flaky.link.lastAssignment(), "executor_error", false); // reputation 1/3

        Job picky = mesh.submit("{\"type\":\"echo\",\"requirements\":{\"min_reputation\":0.4},"
                + "\"placement\":{\"policy\":\"auction\"}}");
        flaky.bids(1, 0);
        solid.bids(2, 0);

        assertThat(mesh.job(first.id()).status()).isEqualTo(JobStatus.FAILED);
        assertThat(solid.link.lastAssignment().jobId()).isEqualTo(picky.id());
        assertThat(entry(record(picky), flaky.id()).reason())
                .isEqualTo("fails requirements: reputation 0.333 below min_reputation 0.4");
        assertThat(entry(record(picky), flaky.id()).reputation()).isEqualTo(1.0 / 3);
        mesh.advance(Duration.ofMillis(1_000), flaky.link, solid.link);
        mesh.settle();
        assertThat(mesh.store().reputations())
                .contains(new org.planetarymesh.store.NodeReputation(flaky.id(), 0, 1, 0, 0));
    }

    @Test
    void anOperatorMayAuctionEveryNetworkScopeJob() throws Exception {
        mesh.close();
        mesh = new SchedulerHarness(dir.resolve("network"), c -> c.withAuction(SETTINGS.withNetworkJobs(true)));
        Bidder bidder = new Bidder();

        Job network = mesh.submit("{\"type\":\"echo\",\"scope\":\"NETWORK\"}");
        assertThat(bidder.announcement().jobId()).isEqualTo(network.id());
        bidder.bids(1, 0);
        assertThat(bidder.link.lastAssignment().jobId()).isEqualTo(network.id());
        bidder.link.done(bidder.link.lastAssignment());

        Job hybrid = mesh.submit("{\"type\":\"echo\"}");
        assertThat(bidder.link.lastAssignment().jobId())
                .as("placed least-loaded at once")
                .isEqualTo(hybrid.id());
        assertThat(bidder.announcements()).isEqualTo(1);
    }
}
