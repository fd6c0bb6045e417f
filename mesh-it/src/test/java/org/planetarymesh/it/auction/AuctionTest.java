package org.planetarymesh.it.auction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.core.auction.BidSigning;
import org.planetarymesh.core.job.AuctionRecord;
import org.planetarymesh.core.job.ErrorCode;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobSpecParser;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.job.Resources;
import org.planetarymesh.core.protocol.Message;
import org.planetarymesh.it.MeshCluster;
import org.planetarymesh.it.MeshProcess;
import org.planetarymesh.it.agent.Jobs;
import org.planetarymesh.testkit.agent.RawAgent;

/**
 * Auctions end to end: a coordinator process and three agent processes that price jobs differently (cheap and slow,
 * dear and fast, in between), plus raw protocol agents over loopback for what a real agent never does (forge or
 * replay a bid, never acknowledge). The window is 5 s, so a job placed in well under that closed its round early.
 */
class AuctionTest {

    private static final Duration QUICK = Duration.ofSeconds(3);

    @TempDir
    static Path dir;

    static MeshCluster mesh;
    static MeshClient client;

    @BeforeAll
    static void startMesh() throws Exception {
        mesh = new MeshCluster(dir);
        Path config = dir.resolve("coordinator.toml");
        Files.writeString(config, """
                auction_window_ms = 5000
                auction_reannounce_ms = 200
                auction_reannounces = 1
                auction_ack_timeout_ms = 500
                auction_assign_retries = 1
                """);
        mesh.startCoordinator("--config", config.toString());
        startAgent("cheap", "2", "200");
        startAgent("fast", "9", "1");
        startAgent("middle", "5", "50");
        mesh.startAgent(
                "standing",
                "--labels",
                "pool=standing",
                "--bid-price-per-job",
                "echo=3",
                "--bid-standing-offers",
                "true");
        client = MeshClient.connect(mesh.url(), mesh.token());
    }

    private static void startAgent(String name, String price, String etaMs) {
        mesh.startAgent(
                name,
                "--labels",
                "pool=bids",
                "--allow-shell",
                "false",
                "--bid-price-per-job",
                "echo=" + price + ",shell=" + price,
                "--bid-eta-ms",
                "echo=" + etaMs + ",shell=" + etaMs);
    }

    @AfterAll
    static void stopMesh() {
        if (client != null) {
            client.close();
        }
        if (mesh != null) {
            mesh.close();
        }
    }

    private static Job submit(String placement, String extra) {
        return client.submit(JobSpecParser.parse(Jobs.json("{\"type\":\"echo\",\"payload\":{\"hi\":1},"
                + "\"requirements\":{\"labels\":{\"pool\":\"bids\"}},\"placement\":{\"policy\":\"auction\"" + placement
                + "}" + extra + "}")));
    }

    private static String nodeNamed(String name) {
        return client.nodes().stream()
                .filter(n -> name.equals(n.name()))
                .findFirst()
                .orElseThrow()
                .id();
    }

    private static AuctionRecord.Bid entry(AuctionRecord record, String nodeId) {
        return record.bids().stream()
                .filter(b -> b.nodeId().equals(nodeId))
                .reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no entry for " + nodeId + " in " + record));
    }

    @Test
    void theCheapestBidWinsTheJobRunsThereAndItsBidsAreShown() {
        Job job = submit("", "");

        Job done = client.await(job.id(), QUICK);

        assertThat(done.status())
                .as("placed well inside the 5 s window: early close")
                .isEqualTo(JobStatus.COMPLETED);
        assertThat(done.nodeId()).isEqualTo(nodeNamed("cheap"));
        AuctionRecord auction = done.routing().auction();
        assertThat(auction.mode()).isEqualTo("bids");
        assertThat(auction.price()).isEqualTo(2);
        assertThat(auction.bids())
                .extracting(AuctionRecord.Bid::outcome)
                .containsExactlyInAnyOrder("won", "lost", "lost");
        assertThat(entry(auction, nodeNamed("fast")).reason()).isEqualTo("price 9 above the winner's 2");
        assertThat(entry(auction, nodeNamed("middle")).etaMs()).isEqualTo(50);

        MeshProcess.Result shown = MeshProcess.run(
                dir,
                Map.of(),
                Duration.ofSeconds(60),
                "job",
                job.id(),
                "--coordinator",
                mesh.url(),
                "--token",
                mesh.token());
        assertThat(shown.exitCode()).as(shown.stderr()).isZero();
        assertThat(shown.stdout())
                .contains("Auction (bids, lowest_price, 1 round, agreed price 2)")
                .contains("price 9 above the winner's 2");
    }

    @Test
    void underFastestTheSmallestEtaWins() {
        Job done = client.await(submit(",\"selection\":\"fastest\"", "").id(), QUICK);

        assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(done.nodeId()).isEqualTo(nodeNamed("fast"));
        assertThat(entry(done.routing().auction(), nodeNamed("cheap")).reason())
                .isEqualTo("eta 200 ms behind the winner's 1 ms");
    }

    @Test
    void whenEveryNodeDeclinesTheJobFailsNoAcceptableBidAndSaysWhy() {
        Job failed = client.await(submit(",\"max_price\":1", "").id(), QUICK);

        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.error().codeKind()).isEqualTo(ErrorCode.NO_ACCEPTABLE_BID);
        assertThat(failed.error().message())
                .startsWith("no acceptable bid in 2 rounds: ")
                .contains("declined (its price 2 is above the job's max_price 1)");
    }

    @Test
    void aWinnerThatFailsIsFollowedByTheRunnerUpNotByItself() {
        Job job = client.submit(JobSpecParser.parse(Jobs.json("{\"type\":\"shell\",\"payload\":{\"command\":"
                + "[\"false\"]},\"retry\":{\"max_attempts\":2,\"backoff\":{\"initial_ms\":10}},"
                + "\"requirements\":{\"labels\":{\"pool\":\"bids\"}},\"placement\":{\"policy\":\"auction\"}}")));

        Job failed = client.await(job.id(), QUICK);

        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.attempts())
                .extracting(a -> a.nodeId())
                .containsExactly(nodeNamed("cheap"), nodeNamed("middle"));
        assertThat(failed.routing().auction().mode()).isEqualTo("runner_up");
    }

    @Test
    void aStandingOfferPlacesTheJobWithoutARound() {
        Job job = client.submit(JobSpecParser.parse(Jobs.json("{\"type\":\"echo\",\"requirements\":{\"labels\":"
                + "{\"pool\":\"standing\"}},\"placement\":{\"policy\":\"auction\",\"max_price\":3}}")));

        Job done = client.await(job.id(), QUICK);

        assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(done.nodeId()).isEqualTo(nodeNamed("standing"));
        assertThat(done.routing().auction().mode()).isEqualTo("standing_offer");
        assertThat(done.routing().auction().price()).isEqualTo(3);
    }

    /** A raw protocol agent labelled pool=bids that runs echo, with a real key. */
    private static final class Raw implements AutoCloseable {
        final RawAgent.Identity key = RawAgent.Identity.generate();
        final LinkedBlockingQueue<Message> inbox = new LinkedBlockingQueue<>();
        final RawAgent socket;

        Raw() throws Exception {
            this(null, "bids");
        }

        Raw(Resources has, String pool) throws Exception {
            socket = RawAgent.listen(mesh.url(), mesh.token(), inbox::add);
            socket.send(new Message.Hello(
                    key.did(),
                    "raw",
                    List.of("echo"),
                    List.of("echo"),
                    List.of(),
                    1,
                    has,
                    Map.of("pool", pool),
                    Map.of(),
                    null,
                    key.publicKeyBase64(),
                    List.of()));
            Message.Welcome welcome = (Message.Welcome) take(Message.Welcome.class);
            socket.send(new Message.Heartbeat(0, List.of(), 0, key.sign(welcome.challenge())));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> client.nodes().stream().anyMatch(n -> n.id().equals(key.did())));
        }

        Message take(Class<? extends Message> type) throws InterruptedException {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < until) {
                Message m = inbox.poll(100, TimeUnit.MILLISECONDS);
                if (type.isInstance(m)) {
                    return m;
                }
            }
            throw new AssertionError("no " + type.getSimpleName() + " within 10 s");
        }

        Message.JobBid bid(Message.JobAnnouncement a, long price, RawAgent.Identity signer) throws Exception {
            return bid(a, price, signer, Resources.NONE);
        }

        Message.JobBid bid(Message.JobAnnouncement a, long price, Resources offers) throws Exception {
            return bid(a, price, key, offers);
        }

        Message.JobBid bid(Message.JobAnnouncement a, long price, RawAgent.Identity signer, Resources offers)
                throws Exception {
            String signature = signer.sign(BidSigning.canonical(a.jobId(), key.did(), a.nonce(), price, 0, 1));
            return new Message.JobBid(a.jobId(), price, 0, offers, signature, a.nonce(), 1);
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    @Test
    void aForgedBidAndAReplayedOneAreRefusedAndTheRestOfTheAuctionGoesOn() throws Exception {
        try (Raw raw = new Raw()) {
            Job job = submit("", "");
            Message.JobAnnouncement a = (Message.JobAnnouncement) raw.take(Message.JobAnnouncement.class);
            Message.JobBid honest = raw.bid(a, 50, raw.key);
            List<Message> frame = new ArrayList<>(List.of(raw.bid(a, 1, RawAgent.Identity.generate()), honest, honest));
            raw.socket.sendText(RawAgent.CODEC.encodeBatch(frame));

            Job done = client.await(job.id(), QUICK);

            assertThat(done.nodeId()).isEqualTo(nodeNamed("cheap"));
            List<String> reasons = done.routing().auction().bids().stream()
                    .filter(b -> b.nodeId().equals(raw.key.did()))
                    .map(AuctionRecord.Bid::reason)
                    .toList();
            assertThat(reasons)
                    .containsExactly(
                            "bad signature: it does not verify with the node's key",
                            "replayed: identical to a bid already received",
                            "price 50 above the winner's 2");
        }
    }

    @Test
    void bidsAboveTheMaxPriceShortOfTheRequirementsRepeatedOrUnannouncedAreDisqualifiedOnTheWire() throws Exception {
        Resources fourCores = new Resources(4, 4096, 0);
        try (Raw dear = new Raw(fourCores, "bids");
                Raw eager = new Raw(fourCores, "bids");
                Raw outsider = new Raw(fourCores, "elsewhere")) {
            Job job = client.submit(JobSpecParser.parse(Jobs.json("{\"type\":\"echo\",\"requirements\":"
                    + "{\"labels\":{\"pool\":\"bids\"},\"resources\":{\"cpu\":1}},"
                    + "\"placement\":{\"policy\":\"auction\",\"max_price\":4}}")));
            Message.JobAnnouncement a = (Message.JobAnnouncement) dear.take(Message.JobAnnouncement.class);
            eager.take(Message.JobAnnouncement.class);
            Message.JobAnnouncement guessed =
                    new Message.JobAnnouncement(job.id(), null, "echo", null, null, null, "a-guessed-nonce", 1, null);
            outsider.socket.send(outsider.bid(guessed, 1, fourCores));
            // eager: a bid, one revision offering no cores (N2 = 1 allows one), and one more
            eager.socket.sendText(RawAgent.CODEC.encodeBatch(
                    List.of(eager.bid(a, 3, fourCores), eager.bid(a, 2, Resources.NONE), eager.bid(a, 1, fourCores))));
            dear.socket.send(dear.bid(a, 5, fourCores));

            Job done = client.await(job.id(), QUICK);

            assertThat(done.nodeId()).isEqualTo(nodeNamed("cheap"));
            AuctionRecord auction = done.routing().auction();
            assertThat(reasons(auction, outsider.key.did()))
                    .containsExactly("not announced to this node: no round of this job went to it");
            assertThat(reasons(auction, eager.key.did()))
                    .containsExactly(
                            "duplicate: it already bid 2 times in round 1",
                            "fails requirements: offers Resources[cpu=0.0, memoryMb=0, gpus=0], the job needs "
                                    + "Resources[cpu=1.0, memoryMb=0, gpus=0]");
            assertThat(reasons(auction, dear.key.did())).containsExactly("above max_price: price 5 > max_price 4");
            assertThat(reasons(auction, nodeNamed("fast")))
                    .containsExactly("its price 9 is above the job's max_price 4");
        }
    }

    private static List<String> reasons(AuctionRecord auction, String nodeId) {
        return auction.bids().stream()
                .filter(b -> b.nodeId().equals(nodeId))
                .map(AuctionRecord.Bid::reason)
                .toList();
    }

    @Test
    void aWinnerThatNeverAcknowledgesLosesTheJobToTheRunnerUp() throws Exception {
        try (Raw raw = new Raw()) {
            Job job = submit("", "");
            Message.JobAnnouncement a = (Message.JobAnnouncement) raw.take(Message.JobAnnouncement.class);
            raw.socket.send(raw.bid(a, 1, raw.key));
            raw.take(Message.AssignJob.class); // and never answers it

            Job done = client.await(job.id(), Duration.ofSeconds(10));

            assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(done.nodeId()).isEqualTo(nodeNamed("cheap"));
            assertThat(done.attempts().getFirst().nodeId()).isEqualTo(raw.key.did());
            assertThat(done.attempts().getFirst().error().message())
                    .isEqualTo("node " + raw.key.did() + " did not acknowledge assign_job within 500 ms");
            assertThat(done.routing().auction().mode()).isEqualTo("runner_up");
            assertThat(raw.take(Message.JobCancel.class)).isNotNull();
        }
    }
}
