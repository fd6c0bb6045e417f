package org.planetarymesh.coordinator.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.coordinator.scheduler.SchedulerHarness.FakeNode;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.job.PlacementPolicy;
import org.planetarymesh.core.job.Routing;
import org.planetarymesh.core.protocol.Message;

/**
 * A placement that spans loop turns plugs into the dispatcher like any other: a small sealed-bid auction announces
 * the job, collects bids as node messages, and awards it to the cheapest bid when every node answered or the window
 * closed.
 */
class MultiTurnPlacementTest {

    private static final long WINDOW_MS = 1_000;

    @TempDir
    Path dir;

    private SchedulerHarness mesh;
    private final Auction auction = new Auction();

    @BeforeEach
    void start() {
        mesh = new SchedulerHarness(dir);
        mesh.scheduler.usePlacer(PlacementPolicy.AUCTION, auction);
    }

    @AfterEach
    void stop() {
        mesh.close();
    }

    private static Message.JobAnnouncement announcement(FakeNode node) {
        return node.sent.stream()
                .filter(Message.JobAnnouncement.class::isInstance)
                .map(Message.JobAnnouncement.class::cast)
                .reduce((a, b) -> b)
                .orElse(null);
    }

    @Test
    void theJobGoesToTheCheapestBidOnceEveryNodeHasBid() {
        FakeNode cheap = mesh.connect("cheap", 1, "echo");
        FakeNode dear = mesh.connect("dear", 1, "echo");
        Job job = mesh.submit("{\"type\":\"echo\",\"placement\":\"auction\"}");

        assertThat(announcement(cheap).jobId()).isEqualTo(job.id());
        assertThat(announcement(dear).jobId()).isEqualTo(job.id());
        assertThat(mesh.job(job.id()).status()).as("deciding").isEqualTo(JobStatus.QUEUED);

        dear.report(new Message.JobBid(job.id(), 90, 0, null, null));
        assertThat(dear.assignments()).isEmpty();
        cheap.report(new Message.JobBid(job.id(), 10, 0, null, null));

        assertThat(cheap.lastAssignment().jobId()).isEqualTo(job.id());
        assertThat(dear.assignments()).isEmpty();
        Routing routing = mesh.job(job.id()).routing();
        assertThat(routing.policy()).isEqualTo("auction");
        assertThat(routing.winner()).isEqualTo("cheap");
    }

    @Test
    void whenTheWindowClosesTheBestBidSoFarWinsAndWithoutBidsTheJobWaitsForTheNodesToChange() {
        FakeNode quiet = mesh.connect("quiet", 1, "echo");
        FakeNode bidder = mesh.connect("bidder", 1, "echo");
        Job won = mesh.submit("{\"type\":\"echo\",\"placement\":\"auction\"}");
        bidder.report(new Message.JobBid(won.id(), 50, 0, null, null));
        assertThat(bidder.assignments()).as("quiet has not answered yet").isEmpty();

        mesh.advance(Duration.ofMillis(WINDOW_MS), quiet, bidder);

        assertThat(bidder.lastAssignment().jobId()).isEqualTo(won.id());

        Job unwanted = mesh.submit("{\"type\":\"echo\",\"placement\":\"auction\"}");
        mesh.advance(Duration.ofMillis(WINDOW_MS), quiet, bidder);
        assertThat(mesh.job(unwanted.id()).status()).isEqualTo(JobStatus.QUEUED);
        assertThat(mesh.job(unwanted.id()).routing().winner()).isNull();
        assertThat(quiet.assignments()).isEmpty();
    }

    @Test
    void aCancelledJobIsForgottenByThePlacerDecidingIt() throws Exception {
        mesh.connect("n1", 1, "echo");
        Job job = mesh.submit("{\"type\":\"echo\",\"placement\":\"auction\"}");
        assertThat(auction.open).containsKey(job.id());

        mesh.scheduler.cancel(job.id());
        mesh.turn();

        assertThat(auction.open).doesNotContainKey(job.id());
    }

    /** Announce, collect bids, award: the state per job lives in the placer, the loop only wakes it. */
    private static final class Auction implements Placer {
        final Map<String, Round> open = new HashMap<>();

        private static final class Round {
            final Set<String> asked;
            final Map<String, Long> bids = new HashMap<>();
            final long closesAt;

            Round(Set<String> asked, long closesAt) {
                this.asked = asked;
                this.closesAt = closesAt;
            }
        }

        @Override
        public String name() {
            return "auction";
        }

        @Override
        public Verdict place(Job job, Set<String> refusedBy, PlacementContext context) {
            Round round = open.get(job.id());
            if (round == null) {
                List<String> asked = new ArrayList<>();
                for (NodeState node : context.nodes()) {
                    if (!refusedBy.contains(node.id) && Eligibility.rejection(job, node) == null) {
                        context.send(
                                node,
                                new Message.JobAnnouncement(
                                        job.id(), null, job.spec().type(), null, null, null));
                        asked.add(node.id);
                    }
                }
                open.put(job.id(), new Round(Set.copyOf(asked), context.nowMillis() + WINDOW_MS));
                return new Verdict.Pending(context.nowMillis() + WINDOW_MS);
            }
            boolean allIn = round.bids.keySet().containsAll(round.asked);
            if (!allIn && context.nowMillis() < round.closesAt) {
                return new Verdict.Pending(round.closesAt);
            }
            NodeState best = null;
            long bestPrice = Long.MAX_VALUE;
            for (NodeState node : context.nodes()) {
                Long price = round.bids.get(node.id);
                if (price != null && price < bestPrice && Eligibility.rejection(job, node) == null) {
                    best = node;
                    bestPrice = price;
                }
            }
            open.remove(job.id());
            List<Routing.Candidate> candidates = new ArrayList<>();
            round.bids.forEach((node, price) -> candidates.add(new Routing.Candidate(node, (double) -price, null)));
            if (best == null) {
                return new Verdict.Unplaced(new Routing(name(), null, candidates, List.of(), context.now()));
            }
            return new Verdict.Placed(best, new Routing(name(), best.id, candidates, List.of(), context.now()));
        }

        @Override
        public String onMessage(NodeState from, Message message) {
            if (message instanceof Message.JobBid bid && open.containsKey(bid.jobId())) {
                Round round = open.get(bid.jobId());
                round.bids.put(from.id, bid.price());
                return round.bids.keySet().containsAll(round.asked) ? bid.jobId() : null;
            }
            return null;
        }

        @Override
        public void forget(String jobId) {
            open.remove(jobId);
        }
    }
}
