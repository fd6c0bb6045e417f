package org.planetarymesh.core.identity;

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
import java.util.HexFormat;

/**
 * An Ed25519 key pair kept as its 32-byte seed in a PKCS#8 file (mode 0600, created on first use), and the did:key
 * naming it. The coordinator signs its receipt-log checkpoints with one ({@code <data dir>/identity/coordinator.key});
 * the agent's {@code NodeIdentity} stores its node key in the same format.
 */
public final class SigningKey implements Signer {

    private static final byte[] PKCS8_PREFIX = HexFormat.of().parseHex("302e020100300506032b657004220420");

    private final KeyPair keyPair;
    private final byte[] rawPublicKey;
    private final String did;

    private SigningKey(KeyPair keyPair) {
        this.keyPair = keyPair;
        byte[] encoded = keyPair.getPublic().getEncoded();
        this.rawPublicKey = Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
        this.did = DidKey.fromEd25519(rawPublicKey);
    }

    /** The key stored in {@code file}, created (mode 0600) with a fresh random seed if there is none yet. */
    public static SigningKey loadOrCreate(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (!Files.exists(file)) {
                byte[] seed = new byte[32];
                new SecureRandom().nextBytes(seed);
                create(file, seed);
            }
            byte[] der = Files.readAllBytes(file);
            if (der.length != PKCS8_PREFIX.length + 32
                    || !Arrays.equals(Arrays.copyOf(der, PKCS8_PREFIX.length), PKCS8_PREFIX)) {
                throw new IllegalStateException(
                        file
                                + " is not an Ed25519 PKCS#8 key; move it away to create a new one (the did:key it names changes)");
            }
            return fromSeed(Arrays.copyOfRange(der, PKCS8_PREFIX.length, der.length));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the key " + file + ": " + e.getMessage(), e);
        }
    }

    /** The key whose private part is the 32-byte RFC 8032 {@code seed}. */
    public static SigningKey fromSeed(byte[] seed) {
        if (seed.length != 32) {
            throw new IllegalArgumentException("an Ed25519 seed is 32 bytes, got " + seed.length);
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(NamedParameterSpec.ED25519, new FixedSeed(seed));
            return new SigningKey(generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot generate Ed25519 keys", e);
        }
    }

    private static void create(Path file, byte[] seed) throws IOException {
        byte[] der = Arrays.copyOf(PKCS8_PREFIX, PKCS8_PREFIX.length + 32);
        System.arraycopy(seed, 0, der, PKCS8_PREFIX.length, 32);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            return;
        }
        Files.write(file, der);
    }

    /** The did:key naming this key. */
    @Override
    public String did() {
        return did;
    }

    /** The raw 32-byte public key. */
    public byte[] rawPublicKey() {
        return rawPublicKey.clone();
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
            throw new IllegalStateException("cannot sign with " + did, e);
        }
    }

    /** Hands the JDK key generator the seed instead of fresh randomness. */
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
