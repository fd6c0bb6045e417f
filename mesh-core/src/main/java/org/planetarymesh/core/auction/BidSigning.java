package org.planetarymesh.core.auction;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import org.planetarymesh.core.protocol.Message;

/**
 * What a bid's signature covers, and its check. The signed bytes are the RFC 8785 canonical JSON of the bid's job id,
 * the bidder's node id, the round's nonce (fresh per announcement, so a recorded bid cannot be replayed into another
 * round or job), and its offer: price, eta and free slots. Only strings and integers are signed, so the canonical form
 * is sorted keys, no whitespace, integers in decimal and strings with minimal escaping, written here without a
 * library. The offered resources are not signed (their numbers are decimals); they are checked against the job's
 * requirements like any other claim of the node.
 */
public final class BidSigning {

    private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private BidSigning() {}

    /** The canonical JSON a bid's signature covers. */
    public static String canonical(String jobId, String nodeId, String nonce, long price, long etaMs, int freeSlots) {
        StringBuilder out = new StringBuilder(160);
        out.append("{\"eta_ms\":").append(etaMs);
        out.append(",\"free_slots\":").append(freeSlots);
        out.append(",\"job_id\":");
        string(out, jobId);
        out.append(",\"node_id\":");
        string(out, nodeId);
        out.append(",\"nonce\":");
        string(out, nonce);
        out.append(",\"price\":").append(price).append('}');
        return out.toString();
    }

    /** The canonical JSON {@code bid}'s signature must cover, {@code nodeId} being its sender. */
    public static String canonical(Message.JobBid bid, String nodeId) {
        return canonical(
                bid.jobId(),
                nodeId,
                bid.nonce(),
                bid.price(),
                bid.etaMs(),
                bid.freeSlots() == null ? 0 : bid.freeSlots());
    }

    /**
     * The text {@code bid}'s signature must cover, {@code nodeId} being its sender: its canonical form when it was
     * signed alone, else the signed text of the Merkle root its proof leads to ({@link BidMerkle}). Throws
     * {@link IllegalArgumentException} for a malformed proof.
     */
    public static String signedText(Message.JobBid bid, String nodeId) {
        String canonical = canonical(bid, nodeId);
        return bid.proof() == null
                ? canonical
                : BidMerkle.signedText(BidMerkle.rootFrom(BidMerkle.leaf(canonical), bid.proof()));
    }

    /** Whether {@code signatureBase64} is {@code rawKey}'s Ed25519 signature of the UTF-8 bytes of {@code text}. */
    public static boolean verifies(byte[] rawKey, String text, String signatureBase64) {
        if (rawKey == null || rawKey.length != 32 || signatureBase64 == null) {
            return false;
        }
        try {
            byte[] signature = Base64.getDecoder().decode(signatureBase64);
            if (signature.length != 64) {
                return false;
            }
            byte[] der = new byte[X509_PREFIX.length + 32];
            System.arraycopy(X509_PREFIX, 0, der, 0, X509_PREFIX.length);
            System.arraycopy(rawKey, 0, der, X509_PREFIX.length, 32);
            PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(text.getBytes(StandardCharsets.UTF_8));
            return verifier.verify(signature);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return false;
        }
    }

    /** RFC 8785 string: quote, backslash and control characters escaped, everything else as is. */
    private static void string(StringBuilder out, String value) {
        out.append('"');
        String s = value == null ? "" : value;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
