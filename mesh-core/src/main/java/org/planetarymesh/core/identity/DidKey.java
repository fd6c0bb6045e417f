package org.planetarymesh.core.identity;

/** Names an Ed25519 public key as a {@code did:key}: base58btc of multicodec {@code ed01} + the raw 32-byte key. */
public final class DidKey {
    private DidKey() {}

    /** The did:key (always starting {@code did:key:z6Mk}) for a raw 32-byte Ed25519 public key. */
    public static String fromEd25519(byte[] rawPublicKey) {
        if (rawPublicKey.length != 32) {
            throw new IllegalArgumentException("an Ed25519 public key is 32 bytes, got " + rawPublicKey.length);
        }
        byte[] multicodec = new byte[34];
        multicodec[0] = (byte) 0xed;
        multicodec[1] = 0x01;
        System.arraycopy(rawPublicKey, 0, multicodec, 2, 32);
        return "did:key:z" + Base58.encode(multicodec);
    }
}
