package org.planetarymesh.core.blob;

import java.security.MessageDigest;

/**
 * A content id: CIDv1 of raw bytes (codec {@code 0x55}) hashed with sha2-256, written as multibase base32 lower case
 * ({@code b} prefix, RFC 4648 alphabet, no padding), e.g. {@code bafkrei...}: the blob store's id, a value with the
 * checks a blob id needs; the encoding is {@link org.planetarymesh.core.receipt.Cid}'s (docs/adr/0070).
 */
public record Cid(String text) {
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
    /** The length of every such CID's string: 'b' plus 36 bytes in base32. */
    public static final int LENGTH = 1 + (36 * 8 + 4) / 5;

    /** The CID of {@code bytes}. */
    public static Cid of(byte[] bytes) {
        byte[] digest = sha256().digest(bytes);
        return fromDigest(digest);
    }

    /** The CID whose sha2-256 digest is {@code digest}. */
    public static Cid fromDigest(byte[] digest) {
        return new Cid(
                org.planetarymesh.core.receipt.Cid.ofDigest(org.planetarymesh.core.receipt.Cid.Codec.RAW, digest));
    }

    /** A fresh sha2-256 digest, for hashing a stream as it arrives ({@link #fromDigest}). */
    public static MessageDigest sha256() {
        return org.planetarymesh.core.receipt.Cid.newSha256();
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

    @Override
    public String toString() {
        return text;
    }
}
