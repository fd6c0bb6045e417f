package org.planetarymesh.coordinator.market;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.planetarymesh.core.identity.Signer;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.store.market.Accounts;
import org.planetarymesh.store.market.Offering;

/**
 * The x402 (v1) shapes the marketplace speaks, on mesh credits: the {@code 402} body with its payment requirements,
 * the {@code X-PAYMENT} header a buyer builds from them, and the {@code X-PAYMENT-RESPONSE} of a settled payment.
 * Scheme {@code exact}, network {@code mesh:<coordinator did>}, asset {@code credits}.
 */
public final class X402 {

    public static final int VERSION = 1;
    public static final String SCHEME = "exact";
    public static final String ASSET = "credits";
    public static final String PAYMENT_HEADER = "X-PAYMENT";
    public static final String RESPONSE_HEADER = "X-PAYMENT-RESPONSE";
    /** How long a signed payment may stay valid: its {@code validBefore} may be at most this far ahead. */
    public static final long MAX_TIMEOUT_SECONDS = 300;

    private static final SecureRandom RANDOM = new SecureRandom();

    private X402() {}

    /** The payment requirements of {@code offering}: what the buyer signs, and where the credits go. */
    public static Map<String, Object> requirements(Offering offering, String network) {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("offering", offering.id());
        extra.put("fee", Long.toString(Settlement.feeOf(offering.price())));
        extra.put("feeAccount", Accounts.FEES);
        extra.put("escrow", Accounts.ESCROW);
        extra.put("capability", offering.capability());
        extra.put("autoAccept", offering.autoAccept());
        extra.put("signing", "Ed25519 by the buyer's did:key over RFC 8785 of payload.authorization");
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("scheme", SCHEME);
        r.put("network", network);
        r.put("maxAmountRequired", Long.toString(offering.price()));
        r.put("asset", ASSET);
        r.put("payTo", offering.seller());
        r.put("resource", "/v1/purchases?offering=" + offering.id());
        r.put("description", offering.description());
        r.put("mimeType", "application/json");
        r.put("maxTimeoutSeconds", MAX_TIMEOUT_SECONDS);
        r.put("extra", extra);
        return r;
    }

    /** The body of a {@code 402}: why ({@code error}, a code; {@code message}) and what to pay. */
    public static Map<String, Object> paymentRequired(String error, String message, Map<String, Object> requirements) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("x402Version", VERSION);
        body.put("error", error);
        body.put("message", message);
        body.put("accepts", List.of(requirements));
        return body;
    }

    /**
     * A buyer's {@code X-PAYMENT} header for {@code requirement} (one entry of a 402's {@code accepts}), signed by
     * {@code buyer}, valid for {@code validSeconds} from {@code nowSeconds}, with a fresh random nonce.
     */
    public static String payment(JsonNode requirement, Signer buyer, long nowSeconds, long validSeconds) {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        PaymentAuthorization auth = new PaymentAuthorization(
                buyer.did(),
                requirement.path("payTo").asText(),
                requirement.path("extra").path("offering").asText(),
                Long.parseLong(requirement.path("maxAmountRequired").asText()),
                HexFormat.of().formatHex(nonce),
                nowSeconds + validSeconds);
        return payment(requirement.path("network").asText(), auth, buyer.sign(auth.signingBytes()));
    }

    /** The header for an authorization and its signature (tests build forged ones with this). */
    public static String payment(String network, PaymentAuthorization auth, byte[] signature) {
        ObjectNode payload = Json.mapper().createObjectNode();
        payload.put("signature", Base64.getUrlEncoder().withoutPadding().encodeToString(signature));
        payload.set("authorization", Json.mapper().valueToTree(auth.fields()));
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("x402Version", VERSION);
        root.put("scheme", SCHEME);
        root.put("network", network);
        root.set("payload", payload);
        return Base64.getEncoder().encodeToString(root.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The {@code X-PAYMENT-RESPONSE} of a settled payment. */
    public static String response(String transaction, String network, String payer) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        body.put("transaction", transaction);
        body.put("network", network);
        body.put("payer", payer);
        try {
            return Base64.getEncoder().encodeToString(Json.mapper().writeValueAsBytes(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
