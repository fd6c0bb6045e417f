package org.planetarymesh.core.identity;

/** Base58 with the Bitcoin alphabet (base58btc), as used by did:key and multibase {@code z}. */
public final class Base58 {
    private static final char[] ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".toCharArray();

    private Base58() {}

    /** Encodes {@code input}; each leading zero byte becomes a leading {@code 1}. */
    public static String encode(byte[] input) {
        int zeros = 0;
        while (zeros < input.length && input[zeros] == 0) {
            zeros++;
        }
        byte[] number = input.clone();
        char[] out = new char[input.length * 2];
        int outStart = out.length;
        int start = zeros;
        while (start < number.length) {
            int remainder = 0;
            for (int i = start; i < number.length; i++) {
                int digit = (remainder << 8) | (number[i] & 0xff);
                number[i] = (byte) (digit / 58);
                remainder = digit % 58;
            }
            out[--outStart] = ALPHABET[remainder];
            while (start < number.length && number[start] == 0) {
                start++;
            }
        }
        for (int i = 0; i < zeros; i++) {
            out[--outStart] = ALPHABET[0];
        }
        return new String(out, outStart, out.length - outStart);
    }

    /** Decodes base58btc text; throws {@link IllegalArgumentException} naming the first character not in the alphabet. */
    public static byte[] decode(String text) {
        int zeros = 0;
        while (zeros < text.length() && text.charAt(zeros) == ALPHABET[0]) {
            zeros++;
        }
        byte[] number = new byte[text.length()];
        int length = 0;
        for (int i = zeros; i < text.length(); i++) {
            int digit = indexOf(text.charAt(i));
            if (digit < 0) {
                throw new IllegalArgumentException("'" + text.charAt(i) + "' at " + i + " is not base58btc");
            }
            int carry = digit;
            for (int j = 0; j < length; j++) {
                carry += (number[j] & 0xff) * 58;
                number[j] = (byte) carry;
                carry >>= 8;
            }
            while (carry > 0) {
                number[length++] = (byte) carry;
                carry >>= 8;
            }
        }
        byte[] out = new byte[zeros + length];
        for (int i = 0; i < length; i++) {
            out[out.length - 1 - i] = number[i];
        }
        return out;
    }

    private static int indexOf(char c) {
        for (int i = 0; i < ALPHABET.length; i++) {
            if (ALPHABET[i] == c) {
                return i;
            }
        }
        return -1;
    }
}
