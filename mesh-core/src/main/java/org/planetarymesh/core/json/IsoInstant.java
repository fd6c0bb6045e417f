package org.planetarymesh.core.json;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * {@link Instant#toString()} and {@link Instant#parse} without {@code DateTimeFormatter}: the same ISO-8601 text
 * ({@code 2030-01-01T00:00:00.123456Z}, the fraction in groups of three digits, none when zero) for years 0 to 9999.
 * A completed job's document holds about seven instants, and the formatter's general machinery cost more than the
 * rest of the document together, writing and reading.
 */
public final class IsoInstant {

    private IsoInstant() {}

    private static final long YEAR_0 = -62_167_219_200L; // 0000-01-01T00:00:00Z
    private static final long AFTER_YEAR_9999 = 253_402_300_800L; // 10000-01-01T00:00:00Z

    /** {@code at.toString()}; written directly for years 0 to 9999, by {@code toString()} outside them. */
    public static String format(Instant at) {
        char[] quoted = quoted(at);
        return new String(quoted, 1, quoted.length - 2);
    }

    /**
     * {@code format(at)} between double quotes, as a JSON string: the text needs no escaping, so a generator can take
     * it as a raw value and skip both the {@code String} and its escape check.
     */
    public static char[] quoted(Instant at) {
        long seconds = at.getEpochSecond();
        if (seconds < YEAR_0 || seconds >= AFTER_YEAR_9999) {
            return ('"' + at.toString() + '"').toCharArray();
        }
        LocalDateTime t = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
        int nanos = at.getNano();
        int fraction = nanos == 0 ? 0 : nanos % 1_000_000 == 0 ? 3 : nanos % 1000 == 0 ? 6 : 9;
        char[] c = new char[22 + (fraction == 0 ? 0 : fraction + 1)];
        c[0] = '"';
        digits(c, 1, t.getYear(), 4);
        c[5] = '-';
        digits(c, 6, t.getMonthValue(), 2);
        c[8] = '-';
        digits(c, 9, t.getDayOfMonth(), 2);
        c[11] = 'T';
        digits(c, 12, t.getHour(), 2);
        c[14] = ':';
        digits(c, 15, t.getMinute(), 2);
        c[17] = ':';
        digits(c, 18, t.getSecond(), 2);
        int end = 20;
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
        c[end + 1] = '"';
        return c;
    }

    /**
     * The instant {@code text} names when it has the form {@code format} writes ({@code yyyy-MM-ddTHH:mm:ss}, an
     * optional fraction of 1 to 9 digits, {@code Z}) and is a real date and time; otherwise null, for the caller to
     * hand the text to {@link Instant#parse}, which accepts more (leap seconds, other years) and explains refusals.
     */
    public static Instant parseOrNull(String text) {
        int length = text.length();
        if (length < 20
                || length == 21
                || length > 30
                || text.charAt(4) != '-'
                || text.charAt(7) != '-'
                || text.charAt(10) != 'T'
                || text.charAt(13) != ':'
                || text.charAt(16) != ':'
                || text.charAt(length - 1) != 'Z'
                || (length > 20 && text.charAt(19) != '.')) {
            return null;
        }
        int year = number(text, 0, 4);
        int month = number(text, 5, 2);
        int day = number(text, 8, 2);
        int hour = number(text, 11, 2);
        int minute = number(text, 14, 2);
        int second = number(text, 17, 2);
        int fractionDigits = length == 20 ? 0 : length - 21;
        int fraction = fractionDigits == 0 ? 0 : number(text, 20, fractionDigits);
        if ((year | month | day | hour | minute | second | fraction) < 0) {
            return null; // a field that is not all digits
        }
        if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) {
            return null;
        }
        if (day > 28 && day > LocalDate.of(year, month, 1).lengthOfMonth()) {
            return null;
        }
        int nanos = fraction;
        for (int k = fractionDigits; k < 9; k++) {
            nanos *= 10;
        }
        long days = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** The decimal number in {@code text[at, at + width)}, or -1 when any of it is not a digit. */
    private static int number(String text, int at, int width) {
        int value = 0;
        for (int i = at; i < at + width; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static void digits(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
