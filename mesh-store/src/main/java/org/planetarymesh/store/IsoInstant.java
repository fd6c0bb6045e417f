package org.planetarymesh.store;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * {@link Instant#toString()} without {@code DateTimeFormatter}: the same ISO-8601 text ({@code
 * 2030-01-01T00:00:00.123456Z}, the fraction in groups of three digits, none when zero) for years 0 to 9999, and
 * {@code toString()} itself outside them. A completed job's document holds about seven instants, and the formatter's
 * general machinery cost more than the rest of the document together.
 */
final class IsoInstant {

    private IsoInstant() {}

    private static final long YEAR_0 = -62_167_219_200L; // 0000-01-01T00:00:00Z
    private static final long AFTER_YEAR_9999 = 253_402_300_800L; // 10000-01-01T00:00:00Z

    static String format(Instant at) {
        long seconds = at.getEpochSecond();
        if (seconds < YEAR_0 || seconds >= AFTER_YEAR_9999) {
            return at.toString();
        }
        LocalDateTime t = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
        int year = t.getYear();
        int nanos = at.getNano();
        int fraction = nanos == 0 ? 0 : nanos % 1_000_000 == 0 ? 3 : nanos % 1000 == 0 ? 6 : 9;
        char[] c = new char[20 + (fraction == 0 ? 0 : fraction + 1)];
        digits(c, 0, year, 4);
        c[4] = '-';
        digits(c, 5, t.getMonthValue(), 2);
        c[7] = '-';
        digits(c, 8, t.getDayOfMonth(), 2);
        c[10] = 'T';
        digits(c, 11, t.getHour(), 2);
        c[13] = ':';
        digits(c, 14, t.getMinute(), 2);
        c[16] = ':';
        digits(c, 17, t.getSecond(), 2);
        int end = 19;
        if (fraction > 0) {
            c[end++] = '.';
            int value = nanos;
            for (int k = 9; k > fraction; k--) {
                value /= 10;
            }
            digits(c, end, value, fraction);
            end += fraction;
        }
        c[end] = 'Z';
        return new String(c);
    }

    private static void digits(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
