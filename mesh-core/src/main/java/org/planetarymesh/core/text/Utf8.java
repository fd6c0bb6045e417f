package org.planetarymesh.core.text;

/**
 * Strict UTF-8 (RFC 3629): the shortest form only, no encoded surrogates, nothing above U+10FFFF. Lenient decoders
 * read an overlong {@code C0 AF} as {@code /} or an encoded surrogate as {@code ?}; this says where such bytes are.
 */
public final class Utf8 {

    private Utf8() {}

    /** The offset of the first byte that does not start or continue a well-formed sequence, or -1 if all do. */
    public static int firstInvalid(byte[] bytes) {
        return firstInvalid(bytes, 0, bytes.length);
    }

    /** {@link #firstInvalid(byte[])} over {@code bytes[from, to)}. */
    public static int firstInvalid(byte[] bytes, int from, int to) {
        int i = from;
        while (i < to) {
            int b = bytes[i];
            if (b >= 0) {
                i++;
                continue;
            }
            int lead = b & 0xff;
            int length;
            int min;
            int max = 0xBF; // allowed range of the second byte, narrowed below for overlong and surrogate forms
            if (lead >= 0xC2 && lead <= 0xDF) {
                length = 2;
                min = 0x80;
            } else if (lead >= 0xE0 && lead <= 0xEF) {
                length = 3;
                min = lead == 0xE0 ? 0xA0 : 0x80;
                max = lead == 0xED ? 0x9F : 0xBF;
            } else if (lead >= 0xF0 && lead <= 0xF4) {
                length = 4;
                min = lead == 0xF0 ? 0x90 : 0x80;
                max = lead == 0xF4 ? 0x8F : 0xBF;
            } else {
                return i;
            }
            if (i + length > to) {
                return i;
            }
            int second = bytes[i + 1] & 0xff;
            if (second < min || second > max) {
                return i;
            }
            for (int k = 2; k < length; k++) {
                if ((bytes[i + k] & 0xC0) != 0x80) {
                    return i;
                }
            }
            i += length;
        }
        return -1;
    }
}
