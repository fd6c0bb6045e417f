package org.planetarymesh.coordinator.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * When a cron expression comes round in a time zone, computed by cron-utils. Accepted: the standard 5 fields (minute
 * hour day-of-month month day-of-week, Sunday 0 or 7, names like MON and JAN), the macros {@code @yearly},
 * {@code @annually}, {@code @monthly}, {@code @weekly}, {@code @daily}, {@code @midnight} and {@code @hourly}, and as
 * an extension 6 fields whose first is the second (for schedules more often than once a minute).
 */
public final class CronTimes {

    /** What the API says a cron expression must look like. */
    public static final String FORMS = "5 fields (minute hour day-of-month month day-of-week, e.g. '*/15 * * * *'),"
            + " 6 with a leading seconds field (e.g. '*/10 * * * * *'), or a macro: @hourly, @daily, @midnight,"
            + " @weekly, @monthly, @yearly, @annually";

    private static final CronParser MINUTES = new CronParser(definition(false));
    private static final CronParser SECONDS = new CronParser(definition(true));

    private final ExecutionTime times;
    private final ZoneId zone;

    private CronTimes(ExecutionTime times, ZoneId zone) {
        this.times = times;
        this.zone = zone;
    }

    /**
     * Parses {@code expression} for {@code zone}.
     *
     * @throws IllegalArgumentException saying what is wrong with it, or that it never comes round
     */
    public static CronTimes parse(String expression, ZoneId zone) {
        String text = expression == null ? "" : expression.strip();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("is empty: give " + FORMS);
        }
        int fields = text.split("\\s+").length;
        if (!text.startsWith("@") && fields != 5 && fields != 6) {
            throw new IllegalArgumentException("has " + fields + " fields: give " + FORMS);
        }
        Cron cron;
        try {
            cron = (fields == 6 ? SECONDS : MINUTES).parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not valid: " + e.getMessage() + " (give " + FORMS + ")");
        }
        CronTimes times = new CronTimes(ExecutionTime.forCron(cron), zone);
        if (times.nextAfter(Instant.now()) == null) {
            throw new IllegalArgumentException("'" + text + "' never comes round (no such date)");
        }
        return times;
    }

    /** The first tick strictly after {@code t}, or null if there is none. */
    public Instant nextAfter(Instant t) {
        return instant(times.nextExecution(ZonedDateTime.ofInstant(t, zone)));
    }

    /** The last tick at or before {@code t}, or null if there is none. */
    public Instant latestAtOrBefore(Instant t) {
        Instant candidate = instant(times.lastExecution(ZonedDateTime.ofInstant(t, zone)));
        if (candidate == null) {
            return null;
        }
        // lastExecution is strictly before t; a tick at t itself is the latest.
        for (Instant next = nextAfter(candidate); next != null && !next.isAfter(t); next = nextAfter(candidate)) {
            candidate = next;
        }
        return candidate;
    }

    private static Instant instant(Optional<ZonedDateTime> time) {
        return time.map(ZonedDateTime::toInstant).orElse(null);
    }

    private static CronDefinition definition(boolean withSeconds) {
        var builder = CronDefinitionBuilder.defineCron();
        if (withSeconds) {
            builder = builder.withSeconds().withStrictRange().and();
        }
        return builder.withMinutes()
                .withStrictRange()
                .and()
                .withHours()
                .withStrictRange()
                .and()
                .withDayOfMonth()
                .withStrictRange()
                .and()
                .withMonth()
                .withStrictRange()
                .and()
                .withDayOfWeek()
                .withValidRange(0, 7)
                .withMondayDoWValue(1)
                .withIntMapping(7, 0)
                .withStrictRange()
                .and()
                .withSupportedNicknameYearly()
                .withSupportedNicknameAnnually()
                .withSupportedNicknameMonthly()
                .withSupportedNicknameWeekly()
                .withSupportedNicknameDaily()
                .withSupportedNicknameMidnight()
                .withSupportedNicknameHourly()
                .instance();
    }
}
