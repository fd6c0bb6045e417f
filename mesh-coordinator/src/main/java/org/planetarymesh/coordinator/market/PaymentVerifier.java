package org.planetarymesh.coordinator.market;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;
import org.planetarymesh.core.identity.DidKey;
import org.planetarymesh.core.identity.Ed25519;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.store.market.Offering;

/**
 * Checks an {@code X-PAYMENT} header against the offering it pays for: shape, network, payee, amount, expiry and the
 * buyer's Ed25519 signature. Replay is not checked here: the nonce keys the ledger movement, which the store takes
 * once ({@link Settlement#paymentKey}).
 */
final class PaymentVerifier {

    private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{16,128}");
    private static final int MAX_HEADER_CHARS = 8192;

    private final String network;

    PaymentVerifier(String network) {
        this.network = network;
    }

    /** The verified authorization; throws {@link PaymentRefused} naming what is wrong. */
    PaymentAuthorization verify(String header, Offering offering, long nowMillis) {
        JsonNode root = decode(header);
        if (root.path("x402Version").asInt(-1) != X402.VERSION) {
            throw invalid("x402Version must be " + X402.VERSION);
        }
        if (!X402.SCHEME.equals(root.path("scheme").asText())) {
            throw invalid("scheme must be \"" + X402.SCHEME + "\"");
        }
        if (!network.equals(root.path("network").asText())) {
            throw new PaymentRefused(
                    "payment_mismatch",
                    "network must be \"" + network + "\" (this coordinator), got "
                            + root.path("network").asText());
        }
        JsonNode auth = root.path("payload").path("authorization");
        PaymentAuthorization a = new PaymentAuthorization(
                text(auth, "from"),
                text(auth, "to"),
                text(auth, "offering"),
                integer(auth, "value"),
                text(auth, "nonce"),
                integer(auth, "validBefore"));
        if (!NONCE.matcher(a.nonce()).matches()) {
            throw invalid("payload.authorization.nonce must be 16 to 128 characters of A-Z, a-z, 0-9, _ or -");
        }
        checkTerms(a, offering, nowMillis);
        byte[] key;
        try {
            key = DidKey.toEd25519(a.from());
        } catch (IllegalArgumentException e) {
            throw invalid("payload.authorization.from must be the buyer's did:key: " + e.getMessage());
        }
        byte[] signature = signature(root.path("payload").path("signature"));
        if (!Ed25519.verifies(key, a.signingBytes(), signature)) {
            throw new PaymentRefused(
                    "invalid_signature",
                    "payload.signature is not " + a.from() + "'s Ed25519 signature of the RFC 8785 form of"
                            + " payload.authorization");
        }
        return a;
    }

    private static void checkTerms(PaymentAuthorization a, Offering offering, long nowMillis) {
        if (!offering.id().equals(a.offering())) {
            throw mismatch(
                    "payload.authorization.offering is " + a.offering() + ", this purchase is for " + offering.id());
        }
        if (!offering.seller().equals(a.to())) {
            throw mismatch("payload.authorization.to must be the seller " + offering.seller());
        }
        if (a.value() != offering.price()) {
            throw mismatch("payload.authorization.value must be the price, " + offering.price() + " credits, got "
                    + a.value());
        }
        long nowSeconds = Math.floorDiv(nowMillis, 1000);
        if (a.validBefore() <= nowSeconds) {
            throw new PaymentRefused(
                    "payment_expired",
                    "the payment expired at " + a.validBefore() + " (epoch seconds); it is now " + nowSeconds
                            + ": sign a new one");
        }
        if (a.validBefore() > nowSeconds + X402.MAX_TIMEOUT_SECONDS) {
            throw invalid("payload.authorization.validBefore may be at most " + X402.MAX_TIMEOUT_SECONDS
                    + " s ahead (maxTimeoutSeconds)");
        }
    }

    private static JsonNode decode(String header) {
        if (header.length() > MAX_HEADER_CHARS) {
            throw invalid("the X-PAYMENT header is longer than " + MAX_HEADER_CHARS + " characters");
        }
        try {
            byte[] json = Base64.getDecoder().decode(header.strip());
            JsonNode root = Json.strictReader().readTree(new String(json, StandardCharsets.UTF_8));
            if (root == null || !root.isObject()) {
                throw invalid("the X-PAYMENT header must be base64 of a JSON object (an x402 PaymentPayload)");
            }
            return root;
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw invalid(
                    "the X-PAYMENT header must be base64 of a JSON object (an x402 PaymentPayload): " + e.getMessage());
        }
    }

    private static String text(JsonNode auth, String field) {
        JsonNode v = auth.path(field);
        if (!v.isTextual() || v.asText().isEmpty()) {
            throw invalid("payload.authorization." + field + " must be a non-empty string");
        }
        return v.asText();
    }

    private static long integer(JsonNode auth, String field) {
        String v = text(auth, field);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw invalid("payload.authorization." + field + " must be an integer as a string, got \"" + v + "\"");
        }
    }

    private static byte[] signature(JsonNode node) {
        if (!node.isTextual()) {
            throw invalid("payload.signature must be the base64url Ed25519 signature (64 bytes)");
        }
        try {
            byte[] sig = Base64.getUrlDecoder().decode(node.asText());
            if (sig.length != 64) {
                throw invalid("payload.signature must decode to 64 bytes, got " + sig.length);
            }
            return sig;
        } catch (IllegalArgumentException e) {
            throw invalid("payload.signature must be base64url: " + e.getMessage());
        }
    }

    private static PaymentRefused invalid(String message) {
        return new PaymentRefused("invalid_payment", message);
    }

    private static PaymentRefused mismatch(String message) {
        return new PaymentRefused("payment_mismatch", message);
    }
}
