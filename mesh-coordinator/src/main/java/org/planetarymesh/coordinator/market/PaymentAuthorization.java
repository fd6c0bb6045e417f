package org.planetarymesh.coordinator.market;

import java.util.LinkedHashMap;
import java.util.Map;
import org.planetarymesh.core.receipt.Canonical;

/**
 * What a buyer signs to pay for one purchase (the mesh's x402 {@code exact} scheme): {@code value} credits from the
 * buyer's did:key {@code from} to the seller {@code to} for {@code offering}, usable once ({@code nonce}) and only
 * before {@code validBefore} (epoch seconds). The signature is Ed25519 over the RFC 8785 form of these fields, all
 * strings.
 */
public record PaymentAuthorization(
        String from, String to, String offering, long value, String nonce, long validBefore) {

    /** The fields as sent (every value a string, so the canonical form needs no number formatting). */
    public Map<String, Object> fields() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("from", from);
        m.put("to", to);
        m.put("offering", offering);
        m.put("value", Long.toString(value));
        m.put("nonce", nonce);
        m.put("validBefore", Long.toString(validBefore));
        return m;
    }

    /** The bytes the buyer signs. */
    public byte[] signingBytes() {
        return Canonical.ofValue(fields());
    }
}
