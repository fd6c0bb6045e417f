package org.planetarymesh.cli;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import picocli.CommandLine;

/**
 * Reads {@code mesh submit --at}: an ISO-8601 instant ({@code 2030-01-01T09:00:00Z}), one with an offset
 * ({@code 2030-01-01T09:00+01:00}), or a local date and time ({@code 2030-01-01T09:00}) in this machine's time zone.
 */
public final class StartTimes implements CommandLine.ITypeConverter<Instant> {

    @Override
    public Instant convert(String value) {
        try {
            return parse(value, ZoneId.systemDefault());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }

    /** Parses {@code value}, reading a time without offset in {@code zone}. */
    static Instant parse(String value, ZoneId zone) {
        String text = value == null ? "" : value.strip();
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException withoutOffset) {
            try {
                return LocalDateTime.parse(text).atZone(zone).toInstant();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("'" + value + "' is not a time: use ISO-8601, e.g."
                        + " 2030-01-01T09:00:00Z, 2030-01-01T09:00+01:00, or 2030-01-01T09:00 for local time");
            }
        }
    }
}
