package org.planetarymesh.core.receipt;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Content ids: CIDv1 with a sha2-256 multihash, as the multibase {@code b} (base32) string. Binary form
 * {@code 01 || varint(codec) || 12 20 || sha256(bytes)}. Receipts, specs and outputs are canonical JSON and use the
 * {@link Codec#JSON} codec; opaque bytes use {@link Codec#RAW}.
 */
public final class Cid {

    /** The multicodec of the content a CID names. */
    public enum Codec {
        /** Opaque bytes (0x55). */
        RAW(new byte[] {0x55}),
        /** JSON (0x0200); here always RFC 8785 canonical JSON. */
        JSON(new byte[] {(byte) 0x80, 0x04});

        private final byte[] varint;

        Codec(byte[] varint) {
            this.varint = varint;
        }
    }

    private Cid() {}

    /** The CID string of {@code content} under {@code codec}. */
    public static String of(Codec codec, byte[] content) {
        return "b" + Base32.encode(binary(codec, sha256(content)));
    }

    /** The CID string of a sha2-256 {@code digest} already computed. */
    public static String ofDigest(Codec codec, byte[] digest) {
        return "b" + Base32.encode(binary(codec, digest));
    }

    /** The binary CID ({@code 01 || codec || 12 20 || digest}). */
    public static byte[] binary(Codec codec, byte[] digest) {
        if (digest.length != 32) {
            throw new IllegalArgumentException("a sha2-256 digest is 32 bytes, got " + digest.length);
        }
        byte[] out = new byte[1 + codec.varint.length + 2 + 32];
        out[0] = 0x01;
        System.arraycopy(codec.varint, 0, out, 1, codec.varint.length);
        out[1 + codec.varint.length] = 0x12;
        out[2 + codec.varint.length] = 0x20;
        System.arraycopy(digest, 0, out, 3 + codec.varint.length, 32);
        return out;
    }

    /**
     * The binary form of a CID string this mesh makes (CIDv1, base32, raw or json, sha2-256); throws
     * {@link IllegalArgumentException} saying what is wrong with any other.
     */
    public static byte[] parse(String cid) {
        if (cid == null || cid.length() < 2 || cid.charAt(0) != 'b') {
            throw new IllegalArgumentException("not a base32 CIDv1 (must start with 'b'): " + cid);
        }
        byte[] bytes = Base32.decode(cid.substring(1));
        for (Codec codec : Codec.values()) {
            int header = 1 + codec.varint.length + 2;
            if (bytes.length == header + 32
                    && bytes[0] == 0x01
                    && Arrays.equals(bytes, 1, 1 + codec.varint.length, codec.varint, 0, codec.varint.length)
                    && bytes[header - 2] == 0x12
                    && bytes[header - 1] == 0x20
                    && cid.equals(ofDigest(codec, Arrays.copyOfRange(bytes, header, bytes.length)))) {
                return bytes;
            }
        }
        throw new IllegalArgumentException("not a CIDv1 with codec raw or json and a sha2-256 digest: " + cid);
    }

    /** SHA-256 of {@code bytes}. */
    public static byte[] sha256(byte[] bytes) {
        return newSha256().digest(bytes);
    }

    /** A fresh SHA-256 digest. */
    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }
}
