package org.planetarymesh.coordinator.market;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.planetarymesh.core.identity.DidKey;
import org.planetarymesh.core.identity.Ed25519;
import org.planetarymesh.core.identity.Signer;
import org.planetarymesh.core.receipt.Canonical;

/**
 * A party's signed say-so on a purchase or offering: {@code {"action", "subject", "by"}} in RFC 8785 form, signed with
 * the Ed25519 key of the did:key {@code by}. Sellers sign with their node's key (publish, accept, reject); buyers with
 * the key that paid (refund, retry). Repeating a signed action is harmless: each one moves a purchase at most once.
 */
public final class SignedAction {

    private SignedAction() {}

    /** The fields to sign. */
    public static Map<String, Object> fields(String action, String subject, String by) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("action", action);
        m.put("subject", subject);
        m.put("by", by);
        return m;
    }

    /** The subject both parties sign to settle a dispute at {@code price}: {@code <purchase id>:<price>}. */
    public static String renegotiation(String purchaseId, long price) {
        return purchaseId + ":" + price;
    }

    /** A request body {@code {"by", "signature"}} for {@code action} on {@code subject}, signed by {@code key}. */
    public static Map<String, Object> sign(Signer key, String action, String subject) {
        byte[] sig = key.sign(Canonical.ofValue(fields(action, subject, key.did())));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("by", key.did());
        body.put("signature", Base64.getUrlEncoder().withoutPadding().encodeToString(sig));
        return body;
    }

    /** Whether {@code signature} (base64url) is {@code by}'s signature of {@code action} on {@code subject}. */
    public static boolean verifies(String action, String subject, String by, String signature) {
        try {
            byte[] key = DidKey.toEd25519(by);
            byte[] sig = Base64.getUrlDecoder().decode(signature);
            return Ed25519.verifies(key, Canonical.ofValue(fields(action, subject, by)), sig);
        } catch (IllegalArgumentException | NullPointerException e) {
            return false;
        }
    }
}
