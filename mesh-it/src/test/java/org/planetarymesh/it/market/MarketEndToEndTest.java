package org.planetarymesh.it.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.coordinator.market.OfferingTerms;
import org.planetarymesh.coordinator.market.SignedAction;
import org.planetarymesh.core.identity.SigningKey;
import org.planetarymesh.it.MeshCluster;
import org.planetarymesh.it.MeshProcess;

/**
 * The marketplace end to end on real processes: a coordinator, and an agent whose node key is the seller's. A buyer
 * gets a 402, pays with a signed X-PAYMENT, the purchase is accepted, runs as a job on the seller's node and
 * completes, and the price splits 98/2 between the seller and the fee account; a job that fails after acceptance is
 * DISPUTED and refunded (or retried); a manual offering waits for the seller's signed accept.
 */
class MarketEndToEndTest {

    private static final Duration SETTLED = Duration.ofSeconds(60);

    @TempDir
    static Path dir;

    static MeshCluster mesh;
    static MarketHttp market;
    static SigningKey seller;

    @BeforeAll
    static void start() throws Exception {
        mesh = new MeshCluster(dir);
        mesh.startCoordinator();
        mesh.startAgent("seller", "--max-concurrent", "4");
        // Another node that runs echo and sleep too: purchases must still run only on the seller's node.
        mesh.startAgent("bystander", "--max-concurrent", "4");
        market = new MarketHttp(mesh);
        seller = MarketHttp.nodeKey(dir, "seller");
        JsonNode nodes = market.get("/v1/nodes").path("nodes");
        assertThat(nodes.findValuesAsText("id"))
                .as("the agent runs under its key's did")
                .contains(seller.did());
    }

    @AfterAll
    static void stop() {
        mesh.close();
    }

    @Test
    void buyPayAcceptCompleteAndThePriceSplitsBetweenSellerAndFee() throws Exception {
        SigningKey buyer = MarketHttp.newKey();
        market.mint(buyer.did(), 5_000);
        String offering = market.publish(seller, new OfferingTerms("echo", 1_000, 30_000, true, 60_000, "echo"));
        long sellerBefore = market.balance(seller.did());
        long feesBefore = market.balance("platform:fees");
        long escrowBefore = market.balance("platform:escrow");

        JsonNode purchase = market.buy(offering, "{\"word\":\"paid\"}", buyer);
        String id = purchase.path("id").asText();
        assertThat(market.balance(buyer.did())).as("paid into escrow").isEqualTo(4_000);
        await().atMost(SETTLED).until(() -> market.status(id).equals("COMPLETED"));

        JsonNode done = market.purchase(id);
        assertThat(done.path("deliverables").path("result").path("word").asText())
                .isEqualTo("paid");
        assertThat(done.path("deliverables").path("node_id").asText()).isEqualTo(seller.did());
        assertThat(market.balance(seller.did())).as("price minus 2%").isEqualTo(sellerBefore + 980);
        assertThat(market.balance("platform:fees")).as("the 2% fee").isEqualTo(feesBefore + 20);
        assertThat(market.balance("platform:escrow")).as("escrow released").isEqualTo(escrowBefore);
        assertThat(market.balance(buyer.did())).isEqualTo(4_000);
        JsonNode stats = market.get("/v1/offerings/" + offering).path("stats");
        assertThat(stats.path("sold").asLong()).isEqualTo(1);
        assertThat(stats.path("completed").asLong()).isEqualTo(1);
        assertThat(stats.path("mean_latency_ms").isNumber()).isTrue();
    }

    @Test
    void aJobThatFailsAfterAcceptanceIsDisputedThenRetriedOrRefunded() throws Exception {
        SigningKey buyer = MarketHttp.newKey();
        market.mint(buyer.did(), 1_000);
        // The job sleeps 5 s but the offering promises 500 ms: it times out, after acceptance.
        String offering = market.publish(seller, new OfferingTerms("sleep", 600, 500, true, 60_000, "too slow"));
        String id = market.buy(offering, "{\"ms\":5000}", buyer).path("id").asText();
        await().atMost(SETTLED).until(() -> market.status(id).equals("DISPUTED"));
        JsonNode disputed = market.purchase(id);
        // The agent enforces the job's timeout too, so whichever side stops it first names the end.
        assertThat(disputed.path("error").path("status").asText()).isIn("TIMED_OUT", "FAILED");
        assertThat(disputed.path("error").path("code").asText())
                .as("%s", disputed)
                .isNotEmpty();
        assertThat(disputed.path("error").path("job_id").asText())
                .isEqualTo(disputed.path("job_id").asText());
        assertThat(market.balance(buyer.did())).as("escrow held while disputed").isEqualTo(400);
        assertThat(market.get("/v1/offerings/" + offering)
                        .path("stats")
                        .path("disputed")
                        .asLong())
                .isEqualTo(1);

        assertThat(market.act(id, "refund", seller).status())
                .as("only the buyer resolves")
                .isEqualTo(403);
        var retried = market.act(id, "retry", buyer);
        assertThat(retried.status()).as("%s", retried.body()).isEqualTo(200);
        await().atMost(SETTLED)
                .until(() -> market.purchase(id).path("attempt").asInt() == 1
                        && market.status(id).equals("DISPUTED"));

        var refunded = market.act(id, "refund", buyer);
        assertThat(refunded.status()).as("%s", refunded.body()).isEqualTo(200);
        assertThat(refunded.body().path("status").asText()).isEqualTo("REFUNDED");
        assertThat(market.balance(buyer.did())).as("refunded once").isEqualTo(1_000);
        assertThat(market.act(id, "refund", buyer).status())
                .as("a second refund")
                .isEqualTo(409);
        assertThat(market.balance(buyer.did())).isEqualTo(1_000);
    }

    @Test
    void aDisputeSettlesAtAPriceBothPartiesSigned() throws Exception {
        SigningKey buyer = MarketHttp.newKey();
        market.mint(buyer.did(), 600);
        String offering = market.publish(seller, new OfferingTerms("sleep", 600, 400, true, 60_000, "half done"));
        String id = market.buy(offering, "{\"ms\":5000}", buyer).path("id").asText();
        await().atMost(SETTLED).until(() -> market.status(id).equals("DISPUTED"));
        long sellerBefore = market.balance(seller.did());
        long feesBefore = market.balance("platform:fees");
        String subject = SignedAction.renegotiation(id, 300);
        String buyerSig =
                (String) SignedAction.sign(buyer, "renegotiate", subject).get("signature");
        String sellerSig =
                (String) SignedAction.sign(seller, "renegotiate", subject).get("signature");

        var oneSided = market.send(
                "POST",
                "/v1/purchases/" + id + "/renegotiate",
                "{\"price\":300,\"buyer_signature\":\"" + buyerSig + "\",\"seller_signature\":\"" + buyerSig + "\"}",
                Map.of());
        assertThat(oneSided.status()).as("%s", oneSided.body()).isEqualTo(401);
        var settled = market.send(
                "POST",
                "/v1/purchases/" + id + "/renegotiate",
                "{\"price\":300,\"buyer_signature\":\"" + buyerSig + "\",\"seller_signature\":\"" + sellerSig + "\"}",
                Map.of());
        assertThat(settled.status()).as("%s", settled.body()).isEqualTo(200);
        assertThat(settled.body().path("status").asText()).isEqualTo("COMPLETED");
        assertThat(market.balance(seller.did())).as("300 minus 2%").isEqualTo(sellerBefore + 294);
        assertThat(market.balance("platform:fees")).isEqualTo(feesBefore + 6);
        assertThat(market.balance(buyer.did()))
                .as("the rest of the escrow back")
                .isEqualTo(300);
    }

    @Test
    void aManualOfferingRunsOnlyOnceItsSellerAccepts() throws Exception {
        SigningKey buyer = MarketHttp.newKey();
        market.mint(buyer.did(), 300);
        String offering = market.publish(seller, new OfferingTerms("echo", 250, 30_000, false, 60_000, "by hand"));
        long sellerBefore = market.balance(seller.did());
        String id = market.buy(offering, "{\"n\":7}", buyer).path("id").asText();
        assertThat(market.status(id)).isEqualTo("CREATED");
        assertThat(market.purchase(id).has("job_id"))
                .as("no job before acceptance")
                .isFalse();

        var accepted = market.act(id, "accept", seller);
        assertThat(accepted.status()).as("%s", accepted.body()).isEqualTo(200);
        await().atMost(SETTLED).until(() -> market.status(id).equals("COMPLETED"));
        // 2% of 250 is 5.
        assertThat(market.balance(seller.did())).isEqualTo(sellerBefore + 245);
        assertThat(market.balance(buyer.did())).isEqualTo(50);
    }

    /** The README's walkthrough with the CLI: a buyer key, a mint, a publish, a buy with --wait, balance and ledger. */
    @Test
    void theReadmeWalkthroughWorksWithTheCli() throws Exception {
        Path buyerKey = dir.resolve("buyer.key");
        Path nodeKey = dir.resolve("agent-seller").resolve("identity").resolve("node.key");
        String buyer = cli("balance", "--new-key", buyerKey.toString())
                .stdout()
                .strip()
                .split(" ")[0];
        assertThat(buyer).startsWith("did:key:z6Mk");
        assertThat(cli("mint", buyer, "2000").stdout()).contains("2000 credits");
        String offering = cli(
                        "offerings",
                        "publish",
                        "--key",
                        nodeKey.toString(),
                        "--capability",
                        "echo",
                        "--price",
                        "1500",
                        "--description",
                        "echo for the README")
                .stdout()
                .strip();
        assertThat(cli("offerings").stdout())
                .contains(offering)
                .contains("1500")
                .contains(seller.did());
        long sellerBefore = market.balance(seller.did());

        MeshProcess.Result bought =
                cli("buy", offering, "--key", buyerKey.toString(), "--payload", "{\"hi\":1}", "--wait");
        assertThat(bought.stderr()).contains("402: pay 1500 credits");
        JsonNode purchase = org.planetarymesh.core.json.Json.mapper().readTree(bought.stdout());
        assertThat(purchase.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(purchase.path("deliverables").path("result").path("hi").asInt())
                .isEqualTo(1);
        assertThat(cli("balance", "--key", buyerKey.toString()).stdout()).contains("500 credits");
        assertThat(market.balance(seller.did())).isEqualTo(sellerBefore + 1470);
        String ledger = cli("ledger", "--key", nodeKey.toString()).stdout();
        assertThat(ledger)
                .contains("release")
                .contains("+1470")
                .contains(purchase.path("id").asText());
        assertThat(cli("purchases", "--party", buyer).stdout())
                .contains(purchase.path("id").asText());
    }

    private static MeshProcess.Result cli(String... args) {
        MeshProcess.Result r = MeshProcess.run(
                dir, Map.of("MESH_COORDINATOR", mesh.url(), "MESH_TOKEN", mesh.token()), Duration.ofSeconds(60), args);
        assertThat(r.exitCode())
                .as("mesh %s: %s %s", String.join(" ", args), r.stdout(), r.stderr())
                .isZero();
        return r;
    }
}
