package org.planetarymesh.core.identity;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;

/** Ed25519 signature checks on raw 32-byte public keys, as did:key names them. */
public final class Ed25519 {

    private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private Ed25519() {}

    /** Whether {@code signature} (64 bytes) is {@code rawKey}'s signature of {@code data}; false for any malformed part. */
    public static boolean verifies(byte[] rawKey, byte[] data, byte[] signature) {
        if (rawKey == null || rawKey.length != 32 || signature == null || signature.length != 64) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(publicKey(rawKey));
            verifier.update(data);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** The JDK key for a raw 32-byte Ed25519 public key. */
    public static PublicKey publicKey(byte[] rawKey) throws GeneralSecurityException {
        byte[] der = new byte[X509_PREFIX.length + 32];
        System.arraycopy(X509_PREFIX, 0, der, 0, X509_PREFIX.length);
        System.arraycopy(rawKey, 0, der, X509_PREFIX.length, 32);
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
    }
}
