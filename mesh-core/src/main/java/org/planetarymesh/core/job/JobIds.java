package org.planetarymesh.core.job;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Generates UUIDv7 ids (RFC 9562): 48 bits of Unix milliseconds, then a 12-bit counter that keeps ids minted in the
 * same millisecond strictly increasing, then 62 random bits. Time-ordered ids keep B-tree inserts at the right edge.
 */
public final class JobIds {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static long lastMillis;
    private static int counter;

    private JobIds() {}

    /** A new, strictly increasing (within this process) UUIDv7 string. */
    public static String next() {
        long millis;
        int seq;
        synchronized (JobIds.class) {
            millis = System.currentTimeMillis();
            if (millis <= lastMillis) {
                millis = lastMillis;
                counter++;
                if (counter > 0xFFF) { // counter exhausted: borrow the next millisecond
                    millis = ++lastMillis;
                    counter = 0;
                }
            } else {
                lastMillis = millis;
                counter = 0;
            }
            seq = counter;
        }
        long msb = (millis << 16) | 0x7000L | seq;
        long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    /**
     * Whether {@code id} is a UUIDv7 (RFC 9562 variant) in the canonical lower-case form {@link #next} mints. Ids are
     * compared as strings everywhere, so an upper-case spelling would name no job and is refused rather than matched.
     */
    public static boolean isValid(String id) {
        if (id == null || id.length() != 36) {
            return false;
        }
        try {
            UUID uuid = UUID.fromString(id);
            return uuid.version() == 7 && uuid.variant() == 2 && uuid.toString().equals(id);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
