package org.planetarymesh.coordinator.market;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.planetarymesh.core.receipt.Canonical;
import org.planetarymesh.core.receipt.Cid;

/**
 * An offering's terms as its seller signs them ({@code publish} on the RFC 8785 form of these fields, every value a
 * string). The offering's id is derived from the signed terms and the seller, so publishing the same signed body twice
 * names the same offering and stores it once.
 */
public record OfferingTerms(
        String capability, long price, long maxLatencyMs, boolean autoAccept, long acceptWindowMs, String description) {

    /** The action a seller signs to publish. */
    public static final String ACTION = "publish";

    /** The terms as signed. */
    public Map<String, Object> fields() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("capability", capability);
        m.put("price", Long.toString(price));
        m.put("max_latency_ms", Long.toString(maxLatencyMs));
        m.put("auto_accept", Boolean.toString(autoAccept));
        m.put("accept_window_ms", Long.toString(acceptWindowMs));
        m.put("description", description);
        return m;
    }

    /** The subject of the seller's signed {@code publish} action. */
    public String subject() {
        return new String(Canonical.ofValue(fields()), StandardCharsets.UTF_8);
    }

    /** The offering's id: {@code off_} and 20 hex digits of SHA-256 over the seller and the signed terms. */
    public String offeringId(String seller) {
        byte[] digest = Cid.sha256((seller + "\n" + subject()).getBytes(StandardCharsets.UTF_8));
        return "off_" + HexFormat.of().formatHex(digest).substring(0, 20);
    }
}
