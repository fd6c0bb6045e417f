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

    /**
     * The raw 32-byte Ed25519 public key a {@code did:key} names; throws {@link IllegalArgumentException} saying why
     * when it is not the did:key of an Ed25519 key.
     */
    public static byte[] toEd25519(String did) {
        if (did == null || !did.startsWith("did:key:z")) {
            throw new IllegalArgumentException("not a did:key with a base58btc key (did:key:z...): " + did);
        }
        byte[] multicodec = Base58.decode(did.substring("did:key:z".length()));
        if (multicodec.length != 34 || (multicodec[0] & 0xff) != 0xed || multicodec[1] != 0x01) {
            throw new IllegalArgumentException("did:key does not name an Ed25519 key (multicodec ed01 + 32 bytes)");
        }
        return java.util.Arrays.copyOfRange(multicodec, 2, 34);
    }
}
