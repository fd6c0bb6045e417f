package org.planetarymesh.it.market;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import org.planetarymesh.coordinator.market.OfferingTerms;
import org.planetarymesh.coordinator.market.SignedAction;
import org.planetarymesh.coordinator.market.X402;
import org.planetarymesh.core.identity.SigningKey;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.it.MeshCluster;

/** The marketplace's REST calls as the ITs make them, over loopback to a real coordinator process. */
final class MarketHttp {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    record Answer(int status, JsonNode body) {}

    private final MeshCluster mesh;

    MarketHttp(MeshCluster mesh) {
        this.mesh = mesh;
    }

    /** A seller's key: the agent's own node key, in its data dir. */
    static SigningKey nodeKey(Path clusterDir, String agentName) {
        return SigningKey.loadOrCreate(
                clusterDir.resolve("agent-" + agentName).resolve("identity").resolve("node.key"));
    }

    static SigningKey newKey() {
        byte[] seed = new byte[32];
        new SecureRandom().nextBytes(seed);
        return SigningKey.fromSeed(seed);
    }

    Answer send(String method, String path, String json, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(mesh.url() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + mesh.token())
                .method(
                        method,
                        json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        HttpResponse<String> answer = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(
                answer.statusCode(),
                answer.body().isEmpty() ? null : Json.mapper().readTree(answer.body()));
    }

    JsonNode get(String path) throws Exception {
        Answer a = send("GET", path, null, Map.of());
        assertThat(a.status()).as("GET %s -> %s", path, a.body()).isEqualTo(200);
        return a.body();
    }

    long balance(String account) throws Exception {
        return get("/v1/accounts/" + account).path("balance").asLong();
    }

    void mint(String account, long amount) throws Exception {
        Answer a = send("POST", "/v1/accounts/" + account + "/mint", "{\"amount\":" + amount + "}", Map.of());
        assertThat(a.status()).as("%s", a.body()).isEqualTo(201);
    }

    String publish(SigningKey seller, OfferingTerms terms) throws Exception {
        var body = Json.mapper().createObjectNode();
        body.put("seller", seller.did());
        body.put("capability", terms.capability());
        body.put("price", terms.price());
        body.put("max_latency_ms", terms.maxLatencyMs());
        body.put("auto_accept", terms.autoAccept());
        body.put("accept_window_ms", terms.acceptWindowMs());
        body.put("description", terms.description());
        body.put("signature", (String)
                SignedAction.sign(seller, OfferingTerms.ACTION, terms.subject()).get("signature"));
        Answer a = send("POST", "/v1/offerings", body.toString(), Map.of());
        assertThat(a.status()).as("%s", a.body()).isEqualTo(201);
        return a.body().path("id").asText();
    }

    /** The 402 round: asks without payment, checks the answer, returns the requirement to sign. */
    JsonNode requirement(String offering, String payload) throws Exception {
        Answer a = send("POST", "/v1/purchases", body(offering, payload), Map.of());
        assertThat(a.status()).as("%s", a.body()).isEqualTo(402);
        assertThat(a.body().path("x402Version").asInt()).isEqualTo(1);
        return a.body().path("accepts").get(0);
    }

    Answer pay(String offering, String payload, String header) throws Exception {
        return send("POST", "/v1/purchases", body(offering, payload), Map.of(X402.PAYMENT_HEADER, header));
    }

    /** 402, sign, pay: the new purchase. */
    JsonNode buy(String offering, String payload, SigningKey buyer) throws Exception {
        JsonNode requirement = requirement(offering, payload);
        Answer a = pay(offering, payload, X402.payment(requirement, buyer, System.currentTimeMillis() / 1000, 120));
        assertThat(a.status()).as("%s", a.body()).isEqualTo(201);
        return a.body();
    }

    Answer act(String purchase, String action, SigningKey signer) throws Exception {
        return send(
                "POST",
                "/v1/purchases/" + purchase + "/" + action,
                Json.mapper().writeValueAsString(SignedAction.sign(signer, action, purchase)),
                Map.of());
    }

    JsonNode purchase(String id) throws Exception {
        return get("/v1/purchases/" + id);
    }

    String status(String purchase) throws Exception {
        return purchase(purchase).path("status").asText();
    }

    private static String body(String offering, String payload) {
        return "{\"offering\":\"" + offering + "\"" + (payload == null ? "" : ",\"payload\":" + payload) + "}";
    }
}
