package org.planetarymesh.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.coordinator.market.OfferingTerms;
import org.planetarymesh.coordinator.market.PaymentAuthorization;
import org.planetarymesh.coordinator.market.SignedAction;
import org.planetarymesh.coordinator.market.X402;
import org.planetarymesh.core.identity.SigningKey;
import org.planetarymesh.core.json.Json;

/**
 * The marketplace's API on a real coordinator and SQLite file, without a seller node (so accepted purchases wait for
 * one): the 402 and its requirements, payments refused for every reason with nothing moved, manual acceptance,
 * rejection, expiry, signatures on seller and buyer actions, and minting by admins only.
 */
class MarketApiTest {

    @TempDir
    static Path dir;

    static Coordinator coordinator;
    static final SigningKey SELLER = key();
    static final SigningKey BUYER = key();

    @BeforeAll
    static void start() {
        coordinator = TestCoordinator.start(dir);
    }

    @AfterAll
    static void stop() {
        coordinator.close();
    }

    static SigningKey key() {
        byte[] seed = new byte[32];
        new SecureRandom().nextBytes(seed);
        return SigningKey.fromSeed(seed);
    }

    static String publish(String capability, long price, boolean autoAccept, long acceptWindowMs) throws Exception {
        OfferingTerms terms = new OfferingTerms(capability, price, 5_000, autoAccept, acceptWindowMs, "test " + price);
        var created = TestCoordinator.post(coordinator, "/v1/offerings", publishBody(SELLER, terms, SELLER));
        assertThat(created.status()).as("%s", created.body()).isEqualTo(201);
        return created.body().path("id").asText();
    }

    static String publishBody(SigningKey signer, OfferingTerms terms, SigningKey claimed) {
        Map<String, Object> signed = SignedAction.sign(signer, OfferingTerms.ACTION, terms.subject());
        var body = Json.mapper().createObjectNode();
        body.put("seller", claimed.did());
        body.put("capability", terms.capability());
        body.put("price", terms.price());
        body.put("max_latency_ms", terms.maxLatencyMs());
        body.put("auto_accept", terms.autoAccept());
        body.put("accept_window_ms", terms.acceptWindowMs());
        body.put("description", terms.description());
        body.put("signature", (String) signed.get("signature"));
        return body.toString();
    }

    static void mint(SigningKey account, long amount) throws Exception {
        var minted = TestCoordinator.post(
                coordinator, "/v1/accounts/" + account.did() + "/mint", "{\"amount\":" + amount + "}");
        assertThat(minted.status()).as("%s", minted.body()).isEqualTo(201);
    }

    static long balance(String account) throws Exception {
        var got = TestCoordinator.get(coordinator, "/v1/accounts/" + account);
        assertThat(got.status()).as("%s", got.body()).isEqualTo(200);
        return got.body().path("balance").asLong();
    }

    static TestCoordinator.Response buy(String offering, String payment) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(coordinator.url() + "/v1/purchases"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"offering\":\"" + offering + "\",\"payload\":{\"n\":1}}"));
        if (payment != null) {
            request.header(X402.PAYMENT_HEADER, payment);
        }
        return TestCoordinator.send(coordinator, request);
    }

    static JsonNode requirement(String offering) throws Exception {
        var answer = buy(offering, null);
        assertThat(answer.status()).isEqualTo(402);
        return answer.body().path("accepts").get(0);
    }

    static long nowSeconds() {
        return System.currentTimeMillis() / 1000;
    }

    static String paid(String offering, SigningKey buyer) throws Exception {
        var bought = buy(offering, X402.payment(requirement(offering), buyer, nowSeconds(), 60));
        assertThat(bought.status()).as("%s", bought.body()).isEqualTo(201);
        return bought.body().path("id").asText();
    }

    static TestCoordinator.Response act(String purchase, String action, SigningKey signer) throws Exception {
        return TestCoordinator.post(
                coordinator,
                "/v1/purchases/" + purchase + "/" + action,
                Json.mapper().writeValueAsString(SignedAction.sign(signer, action, purchase)));
    }

    @Test
    void aPurchaseWithoutPaymentIsAnswered402WithX402Requirements() throws Exception {
        String offering = publish("echo", 1_000, true, 60_000);
        var answer = buy(offering, null);
        assertThat(answer.status()).isEqualTo(402);
        assertThat(answer.body().path("x402Version").asInt()).isEqualTo(1);
        assertThat(answer.body().path("error").asText()).isEqualTo("payment_required");
        JsonNode r = answer.body().path("accepts").get(0);
        assertThat(r.path("scheme").asText()).isEqualTo("exact");
        assertThat(r.path("network").asText()).startsWith("mesh:did:key:z6Mk");
        assertThat(r.path("asset").asText()).isEqualTo("credits");
        assertThat(r.path("maxAmountRequired").asText()).isEqualTo("1000");
        assertThat(r.path("payTo").asText()).isEqualTo(SELLER.did());
        assertThat(r.path("extra").path("fee").asText()).isEqualTo("20");
        assertThat(r.path("extra").path("offering").asText()).isEqualTo(offering);
    }

    @Test
    void forgedExpiredMismatchedAndReplayedPaymentsAreRefusedAndMoveNothing() throws Exception {
        SigningKey buyer = key();
        mint(buyer, 5_000);
        String offering = publish("echo", 1_000, false, 60_000);
        JsonNode r = requirement(offering);
        String network = r.path("network").asText();
        PaymentAuthorization good = new PaymentAuthorization(
                buyer.did(), SELLER.did(), offering, 1_000, "nonce-0123456789abcdef", nowSeconds() + 60);

        SigningKey thief = key();
        assertRefused(offering, X402.payment(network, good, thief.sign(good.signingBytes())), "invalid_signature");
        PaymentAuthorization expired = new PaymentAuthorization(
                buyer.did(), SELLER.did(), offering, 1_000, "nonce-expired-0123456", nowSeconds() - 1);
        assertRefused(offering, X402.payment(network, expired, buyer.sign(expired.signingBytes())), "payment_expired");
        PaymentAuthorization cheap = new PaymentAuthorization(
                buyer.did(), SELLER.did(), offering, 1, "nonce-cheap-0123456789", nowSeconds() + 60);
        assertRefused(offering, X402.payment(network, cheap, buyer.sign(cheap.signingBytes())), "payment_mismatch");
        PaymentAuthorization tampered = new PaymentAuthorization(
                buyer.did(), SELLER.did(), offering, 1_000, "nonce-tampered-0123456", nowSeconds() + 60);
        PaymentAuthorization signedFor = new PaymentAuthorization(
                buyer.did(), SELLER.did(), offering, 1_000, "nonce-tampered-0123457", nowSeconds() + 60);
        assertRefused(
                offering, X402.payment(network, tampered, buyer.sign(signedFor.signingBytes())), "invalid_signature");
        assertRefused(offering, "not base64!", "invalid_payment");
        assertThat(balance(buyer.did())).as("nothing moved").isEqualTo(5_000);

        String header = X402.payment(network, good, buyer.sign(good.signingBytes()));
        var first = buy(offering, header);
        assertThat(first.status()).as("%s", first.body()).isEqualTo(201);
        assertThat(first.body().path("status").asText()).isEqualTo("CREATED");
        assertThat(first.body().path("buyer").asText()).isEqualTo(buyer.did());
        var replay = buy(offering, header);
        assertThat(replay.status()).isEqualTo(402);
        assertThat(replay.body().path("error").asText()).isEqualTo("payment_replayed");
        assertThat(replay.body().path("message").asText())
                .contains(first.body().path("id").asText());
        assertThat(balance(buyer.did())).as("paid once").isEqualTo(4_000);
        var ledger = TestCoordinator.get(coordinator, "/v1/accounts/" + buyer.did() + "/ledger");
        assertThat(ledger.body().path("entries")).hasSize(2); // the mint and one payment
    }

    static void assertRefused(String offering, String header, String code) throws Exception {
        var answer = buy(offering, header);
        assertThat(answer.status()).as("%s", answer.body()).isEqualTo(402);
        assertThat(answer.body().path("error").asText()).as("%s", answer.body()).isEqualTo(code);
        assertThat(answer.body().path("accepts")).hasSize(1);
    }

    @Test
    void aBuyerWithoutEnoughCreditsIsRefusedNamingTheBalance() throws Exception {
        SigningKey poor = key();
        mint(poor, 999);
        String offering = publish("echo", 1_001, true, 60_000);
        var answer = buy(offering, X402.payment(requirement(offering), poor, nowSeconds(), 60));
        assertThat(answer.status()).isEqualTo(402);
        assertThat(answer.body().path("error").asText()).isEqualTo("insufficient_balance");
        assertThat(answer.body().path("message").asText()).contains("holds 999 credits");
        assertThat(balance(poor.did())).isEqualTo(999);
    }

    @Test
    void aManualOfferingWaitsForItsSellerWhoseRejectionRefunds() throws Exception {
        SigningKey buyer = key();
        mint(buyer, 2_000);
        String offering = publish("echo", 700, false, 60_000);
        String purchase = paid(offering, buyer);
        assertThat(balance(buyer.did())).isEqualTo(1_300);

        assertThat(act(purchase, "accept", buyer).status())
                .as("the buyer cannot accept")
                .isEqualTo(403);
        var forged = TestCoordinator.post(
                coordinator,
                "/v1/purchases/" + purchase + "/reject",
                "{\"by\":\"" + SELLER.did() + "\",\"signature\":\""
                        + SignedAction.sign(SELLER, "reject", "another").get("signature") + "\"}");
        assertThat(forged.status()).as("a signature over another purchase").isEqualTo(401);

        var rejected = act(purchase, "reject", SELLER);
        assertThat(rejected.status()).as("%s", rejected.body()).isEqualTo(200);
        assertThat(rejected.body().path("status").asText()).isEqualTo("REJECTED");
        assertThat(balance(buyer.did())).isEqualTo(2_000);
        var again = act(purchase, "reject", SELLER);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.body().path("error").path("code").asText()).isEqualTo("wrong_status");
        assertThat(balance(buyer.did())).as("refunded once").isEqualTo(2_000);
    }

    @Test
    void anAcceptedPurchaseBecomesAJobBoundToTheSellersNode() throws Exception {
        SigningKey buyer = key();
        mint(buyer, 1_000);
        String offering = publish("echo", 500, false, 60_000);
        String purchase = paid(offering, buyer);
        var accepted = act(purchase, "accept", SELLER);
        assertThat(accepted.status()).as("%s", accepted.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> TestCoordinator.get(coordinator, "/v1/purchases/" + purchase)
                        .body()
                        .path("status")
                        .asText()
                        .equals("DELIVERING"));
        String jobId = TestCoordinator.get(coordinator, "/v1/purchases/" + purchase)
                .body()
                .path("job_id")
                .asText();
        JsonNode job = TestCoordinator.get(coordinator, "/v1/jobs/" + jobId).body();
        assertThat(job.toString()).contains("\"type\":\"echo\"");
        assertThat(job.path("status").asText())
                .as("no node is the seller's yet")
                .isEqualTo("QUEUED");
        assertThat(job.toString()).contains("\"mesh.node\":\"" + SELLER.did() + "\"");
    }

    @Test
    void aPurchaseNotAcceptedInTimeExpiresAndIsRefunded() throws Exception {
        SigningKey buyer = key();
        mint(buyer, 1_000);
        String offering = publish("echo", 400, false, 1_000);
        String purchase = paid(offering, buyer);
        assertThat(balance(buyer.did())).isEqualTo(600);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> TestCoordinator.get(coordinator, "/v1/purchases/" + purchase)
                        .body()
                        .path("status")
                        .asText()
                        .equals("EXPIRED"));
        assertThat(balance(buyer.did())).isEqualTo(1_000);
        assertThat(act(purchase, "accept", SELLER).status())
                .as("too late to accept")
                .isEqualTo(409);
    }

    @Test
    void onlyAnAdminMintsAndOnlyTheKeyHolderPublishes() throws Exception {
        var token = TestCoordinator.post(coordinator, "/v1/tokens", "{\"role\":\"submit\",\"name\":\"buyer\"}");
        String submit = token.body().path("token").asText();
        var refused = TestCoordinator.sendRaw(
                HttpRequest.newBuilder(URI.create(coordinator.url() + "/v1/accounts/" + BUYER.did() + "/mint"))
                        .header("Authorization", "Bearer " + submit)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"amount\":5}")));
        assertThat(refused.status()).isEqualTo(403);
        var negative = TestCoordinator.post(coordinator, "/v1/accounts/" + BUYER.did() + "/mint", "{\"amount\":-5}");
        assertThat(negative.status()).isEqualTo(422);
        assertThat(negative.body()
                        .path("error")
                        .path("details")
                        .get(0)
                        .path("field")
                        .asText())
                .isEqualTo("amount");

        OfferingTerms terms = new OfferingTerms("echo", 10, 1_000, true, 60_000, "impostor");
        var impostor = TestCoordinator.post(coordinator, "/v1/offerings", publishBody(key(), terms, SELLER));
        assertThat(impostor.status()).isEqualTo(401);
        assertThat(impostor.body().path("error").path("code").asText()).isEqualTo("invalid_signature");
        var free = TestCoordinator.post(
                coordinator,
                "/v1/offerings",
                publishBody(SELLER, new OfferingTerms("echo", 0, 1_000, true, 60_000, "free"), SELLER));
        assertThat(free.status()).isEqualTo(422);
        assertThat(free.body()
                        .path("error")
                        .path("details")
                        .get(0)
                        .path("field")
                        .asText())
                .isEqualTo("price");
    }
}
