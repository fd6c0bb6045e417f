package org.planetarymesh.agent.identity;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import org.planetarymesh.core.identity.Signer;
import org.planetarymesh.core.identity.SigningKey;

/**
 * The agent's Ed25519 key and the did:key that names it (the node id): a {@link SigningKey} kept at
 * {@code <data dir>/identity/node.key} (PKCS#8 DER, mode 0600, created on first start), plus what the agent protocol
 * needs of it (the public key in {@code hello}, the signed challenge in the first heartbeat).
 */
public final class NodeIdentity implements Signer {

    /** File name of the private key under {@code <data dir>/identity}. */
    public static final String KEY_FILE = "node.key";

    private final SigningKey key;

    private NodeIdentity(SigningKey key) {
        this.key = key;
    }

    /** The identity stored under {@code dataDir}, created (mode 0600) if there is none yet. */
    public static NodeIdentity loadOrCreate(Path dataDir) {
        return new NodeIdentity(
                SigningKey.loadOrCreate(dataDir.resolve("identity").resolve(KEY_FILE)));
    }

    /** The identity whose private key is the 32-byte {@code seed} (RFC 8032 secret key). */
    public static NodeIdentity fromSeed(byte[] seed) {
        return new NodeIdentity(SigningKey.fromSeed(seed));
    }

    /** The did:key naming this node. */
    public String nodeId() {
        return key.did();
    }

    @Override
    public String did() {
        return key.did();
    }

    /** The raw 32-byte public key. */
    public byte[] rawPublicKey() {
        return key.rawPublicKey();
    }

    /** The raw public key in standard base64, as sent in {@code hello.public_key}. */
    public String publicKeyBase64() {
        return Base64.getEncoder().encodeToString(key.rawPublicKey());
    }

    /** The 64-byte Ed25519 signature of {@code data}. */
    @Override
    public byte[] sign(byte[] data) {
        return key.sign(data);
    }

    /** The signature of the UTF-8 bytes of {@code challenge}, base64, as sent in the first heartbeat. */
    public String signChallenge(String challenge) {
        return Base64.getEncoder().encodeToString(sign(challenge.getBytes(StandardCharsets.UTF_8)));
    }
}
