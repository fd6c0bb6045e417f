package org.planetarymesh.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Reads durations the way people type them ({@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h30m}, {@code 1d}, or
 * ISO-8601 {@code PT30S}) and prints them compactly. A bare number is refused: "30" could mean seconds or
 * milliseconds, and guessing wrong by a factor of 1000 is worse than asking.
 */
public final class Durations implements CommandLine.ITypeConverter<Duration> {

    private static final Pattern PART = Pattern.compile("(\\d+)(ms|d|h|m|s)");

    @Override
    public Duration convert(String value) {
        try {
            return parse(value);
        } catch (IllegalArgumentException e) {
            // picocli words a TypeConversionException as is; any other exception it wraps with its Java class name.
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }

    /** Parses {@code value}; throws {@link IllegalArgumentException} with the accepted forms. */
    public static Duration parse(String value) {
        String text = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        if (text.startsWith("pt") || text.startsWith("p")) {
            try {
                return nonNegative(value, Duration.parse(text.toUpperCase(Locale.ROOT)));
            } catch (DateTimeParseException e) {
                throw invalid(value);
            }
        }
        Matcher part = PART.matcher(text);
        Duration total = Duration.ZERO;
        int at = 0;
        while (at < text.length() && part.find(at) && part.start() == at) {
            long amount = Long.parseLong(part.group(1));
            total = total.plus(
                    switch (part.group(2)) {
                        case "ms" -> Duration.ofMillis(amount);
                        case "s" -> Duration.ofSeconds(amount);
                        case "m" -> Duration.ofMinutes(amount);
                        case "h" -> Duration.ofHours(amount);
                        default -> Duration.ofDays(amount);
                    });
            at = part.end();
        }
        if (text.isEmpty() || at != text.length()) {
            throw invalid(value);
        }
        return total;
    }

    /** A short human form: {@code 850ms}, {@code 12s}, {@code 1.5s}, {@code 3m}, {@code 2h}, {@code 4d}. */
    public static String format(Duration duration) {
        long millis = Math.max(0, duration.toMillis());
        if (millis < 1_000) {
            return millis + "ms";
        }
        if (millis < 10_000 && millis % 1_000 != 0) {
            return String.format(Locale.ROOT, "%.1fs", millis / 1_000.0);
        }
        long seconds = millis / 1_000;
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3_600) {
            return seconds / 60 + "m";
        }
        if (seconds < 86_400) {
            return seconds / 3_600 + "h";
        }
        return seconds / 86_400 + "d";
    }

    private static Duration nonNegative(String value, Duration parsed) {
        if (parsed.isNegative()) {
            throw invalid(value);
        }
        return parsed;
    }

    private static IllegalArgumentException invalid(String value) {
        return new IllegalArgumentException(
                "'" + value + "' is not a duration: use a number with a unit, e.g. 500ms, 30s, 2m, 1h30m");
    }
}
