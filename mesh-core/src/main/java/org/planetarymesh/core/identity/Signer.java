package org.planetarymesh.core.identity;

/** Something that signs with an Ed25519 key named by a did:key: a node's key, or the coordinator's. */
public interface Signer {

    /** The did:key of the signing key. */
    String did();

    /** The 64-byte Ed25519 signature of {@code data}. */
    byte[] sign(byte[] data);
}
