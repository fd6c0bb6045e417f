package org.planetarymesh.coordinator.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import org.planetarymesh.core.identity.DidKey;

/**
 * Checks an agent's proof of its key: the node id it claims must be the did:key of the Ed25519 public key it sent,
 * and its signature over the welcome challenge must verify with that key. Because a did:key IS the key, nobody can
 * claim a did:key node id without holding the matching private key.
 */
public final class AgentProof {

    private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private AgentProof() {}

    /** Whether {@code nodeId} looks like a did:key (and so must be proven with its key). */
    public static boolean isDidKey(String nodeId) {
        return nodeId != null && nodeId.startsWith("did:key:");
    }

    /**
     * The raw 32-byte key in {@code publicKeyBase64} (standard or URL-safe base64), checked to be named by
     * {@code nodeId}; throws {@link IllegalArgumentException} saying what is wrong otherwise.
     */
    public static byte[] keyFor(String nodeId, String publicKeyBase64) {
        byte[] raw;
        try {
            raw = publicKeyBase64.contains("-") || publicKeyBase64.contains("_")
                    ? Base64.getUrlDecoder().decode(publicKeyBase64)
                    : Base64.getDecoder().decode(publicKeyBase64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("hello.public_key is not base64");
        }
        if (raw.length != 32) {
            throw new IllegalArgumentException("hello.public_key must be a raw 32-byte Ed25519 key, got " + raw.length);
        }
        String expected = didKey(raw);
        if (!expected.equals(nodeId)) {
            throw new IllegalArgumentException("hello.node_id is not the did:key of hello.public_key");
        }
        return raw;
    }

    /** Whether {@code signatureBase64} is a valid Ed25519 signature by {@code rawKey} of the UTF-8 {@code challenge}. */
    public static boolean verifies(byte[] rawKey, String challenge, String signatureBase64) {
        if (signatureBase64 == null || challenge == null) {
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
            verifier.update(challenge.getBytes(StandardCharsets.UTF_8));
            return verifier.verify(signature);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return false;
        }
    }

    /** {@code did:key:z} + base58btc of {@code ed 01 || key}. */
    public static String didKey(byte[] rawKey) {
        return DidKey.fromEd25519(rawKey);
    }
}
