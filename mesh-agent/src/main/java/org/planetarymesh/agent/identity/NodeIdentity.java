package org.planetarymesh.agent.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import org.planetarymesh.core.identity.DidKey;

/**
 * The agent's Ed25519 key pair and the did:key that names it. The 32-byte private seed is the only thing stored
 * ({@code <data dir>/identity/node.key}, PKCS#8 DER, mode 0600, created on first start); the public key is derived
 * from it by feeding the seed to the JDK's key generator, so the pair can never disagree.
 */
public final class NodeIdentity implements org.planetarymesh.core.identity.Signer {

    /** File name of the private key under {@code <data dir>/identity}. */
    public static final String KEY_FILE = "node.key";

    private static final byte[] PKCS8_PREFIX = hex("302e020100300506032b657004220420");
    private static final int PUBLIC_PREFIX_LENGTH = 12;

    private final KeyPair keyPair;
    private final byte[] rawPublicKey;
    private final String nodeId;

    private NodeIdentity(KeyPair keyPair) {
        this.keyPair = keyPair;
        byte[] encoded = keyPair.getPublic().getEncoded();
        this.rawPublicKey = Arrays.copyOfRange(encoded, PUBLIC_PREFIX_LENGTH, encoded.length);
        this.nodeId = DidKey.fromEd25519(rawPublicKey);
    }

    /** The identity stored under {@code dataDir}, created (mode 0600) if there is none yet. */
    public static NodeIdentity loadOrCreate(Path dataDir) {
        Path dir = dataDir.resolve("identity");
        Path file = dir.resolve(KEY_FILE);
        try {
            Files.createDirectories(dir);
            if (!Files.exists(file)) {
                byte[] seed = new byte[32];
                new SecureRandom().nextBytes(seed);
                write(file, seed);
            }
            return fromPkcs8(Files.readAllBytes(file), file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the node key " + file + ": " + e.getMessage(), e);
        }
    }

    /** The identity whose private key is the 32-byte {@code seed} (RFC 8032 secret key). */
    public static NodeIdentity fromSeed(byte[] seed) {
        if (seed.length != 32) {
            throw new IllegalArgumentException("an Ed25519 seed is 32 bytes, got " + seed.length);
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(NamedParameterSpec.ED25519, new FixedSeed(seed));
            return new NodeIdentity(generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot generate Ed25519 keys", e);
        }
    }

    private static NodeIdentity fromPkcs8(byte[] der, Path file) {
        if (der.length != PKCS8_PREFIX.length + 32
                || !Arrays.equals(Arrays.copyOf(der, PKCS8_PREFIX.length), PKCS8_PREFIX)) {
            throw new IllegalStateException("node key " + file
                    + " is not an Ed25519 PKCS#8 key; move it away to create a new identity (the node id will change)");
        }
        return fromSeed(Arrays.copyOfRange(der, PKCS8_PREFIX.length, der.length));
    }

    private static void write(Path file, byte[] seed) throws IOException {
        byte[] der = Arrays.copyOf(PKCS8_PREFIX, PKCS8_PREFIX.length + 32);
        System.arraycopy(seed, 0, der, PKCS8_PREFIX.length, 32);
        try {
            // Created with 0600 from the start so there is no moment where others may read it.
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            return;
        }
        Files.write(file, der);
    }

    /** The did:key naming this node. */
    public String nodeId() {
        return nodeId;
    }

    @Override
    public String did() {
        return nodeId;
    }

    /** The raw 32-byte public key. */
    public byte[] rawPublicKey() {
        return rawPublicKey.clone();
    }

    /** The raw public key in standard base64, as sent in {@code hello.public_key}. */
    public String publicKeyBase64() {
        return Base64.getEncoder().encodeToString(rawPublicKey);
    }

    /** The 64-byte Ed25519 signature of {@code data}. */
    @Override
    public byte[] sign(byte[] data) {
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(keyPair.getPrivate());
            signature.update(data);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with the node key", e);
        }
    }

    /** The signature of the UTF-8 bytes of {@code challenge}, base64, as sent in the first heartbeat. */
    public String signChallenge(String challenge) {
        return Base64.getEncoder().encodeToString(sign(challenge.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private static byte[] hex(String s) {
        return java.util.HexFormat.of().parseHex(s);
    }

    /** Hands the JDK key generator our seed instead of fresh randomness. */
    private static final class FixedSeed extends SecureRandom {
        private final byte[] seed;

        FixedSeed(byte[] seed) {
            this.seed = seed.clone();
        }

        @Override
        public void nextBytes(byte[] bytes) {
            System.arraycopy(seed, 0, bytes, 0, Math.min(bytes.length, seed.length));
        }
    }
}
