package org.planetarymesh.core.blob;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * A content id: CIDv1 of raw bytes (codec {@code 0x55}) hashed with sha2-256, written as multibase base32 lower case
 * ({@code b} prefix, RFC 4648 alphabet, no padding), e.g. {@code bafkrei...}. Multiformats libraries are not on Maven
 * Central, and the format is small enough to write here (docs/adr/0070).
 */
public record Cid(String text) {
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
    /** CIDv1, raw codec, sha2-256, 32 bytes: the prefix every CID of this kind starts with. */
    private static final byte[] PREFIX = {0x01, 0x55, 0x12, 0x20};
    /** The length of every such CID's string: 'b' plus 36 bytes in base32. */
    public static final int LENGTH = 1 + (36 * 8 + 4) / 5;

    /** The CID of {@code bytes}. */
    public static Cid of(byte[] bytes) {
        byte[] digest = sha256().digest(bytes);
        return fromDigest(digest);
    }

    /** The CID whose sha2-256 digest is {@code digest}. */
    public static Cid fromDigest(byte[] digest) {
        byte[] binary = Arrays.copyOf(PREFIX, PREFIX.length + digest.length);
        System.arraycopy(digest, 0, binary, PREFIX.length, digest.length);
        return new Cid("b" + base32(binary));
    }

    /** A fresh sha2-256 digest, for hashing a stream as it arrives ({@link #fromDigest}). */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /**
     * Parses a CID string of this kind (raw, sha2-256).
     *
     * @throws IllegalArgumentException naming what is wrong with {@code text}
     */
    public static Cid parse(String text) {
        if (text == null || text.length() != LENGTH || text.charAt(0) != 'b') {
            throw new IllegalArgumentException("a CID here is " + LENGTH
                    + " characters starting 'bafkrei' (CIDv1, raw, sha2-256, base32); got '" + text + "'");
        }
        for (int i = 1; i < text.length(); i++) {
            if (ALPHABET.indexOf(text.charAt(i)) < 0) {
                throw new IllegalArgumentException(
                        "a CID is base32 lower case (a-z, 2-7); '" + text + "' has '" + text.charAt(i) + "'");
            }
        }
        if (!text.startsWith("bafkrei")) {
            throw new IllegalArgumentException(
                    "only CIDv1 of raw bytes hashed with sha2-256 ('bafkrei...') are stored; got '" + text + "'");
        }
        return new Cid(text);
    }

    /** Whether {@code bytes} hash to this CID. */
    public boolean matches(byte[] bytes) {
        return of(bytes).equals(this);
    }

    static String base32(byte[] bytes) {
        StringBuilder out = new StringBuilder((bytes.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(ALPHABET.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(ALPHABET.charAt((buffer << (5 - bits)) & 31));
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return text;
    }
}
