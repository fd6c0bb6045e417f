package org.planetarymesh.coordinator.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Cron expressions as schedules take them: standard 5 fields, macros, a seconds field, time zones, and refusals. */
class CronTimesTest {

    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final Instant T = Instant.parse("2030-01-01T10:07:30Z"); // a Tuesday

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            */15 * * * *    | 2030-01-01T10:15:00Z
            0 9 * * MON-FRI | 2030-01-02T09:00:00Z
            0 0 * * 0       | 2030-01-06T00:00:00Z
            0 0 * * 7       | 2030-01-06T00:00:00Z
            @hourly         | 2030-01-01T11:00:00Z
            @daily          | 2030-01-02T00:00:00Z
            @midnight       | 2030-01-02T00:00:00Z
            @weekly         | 2030-01-06T00:00:00Z
            @monthly        | 2030-02-01T00:00:00Z
            @yearly         | 2031-01-01T00:00:00Z
            @annually       | 2031-01-01T00:00:00Z
            */10 * * * * *  | 2030-01-01T10:07:40Z
            """)
    void theNextTickAfterATimeInUtc(String cron, String next) {
        assertThat(CronTimes.parse(cron, UTC).nextAfter(T)).isEqualTo(Instant.parse(next));
    }

    @Test
    void ticksFollowTheZoneAcrossADaylightSavingChange() {
        CronTimes nineInParis = CronTimes.parse("0 9 * * *", ZoneId.of("Europe/Paris"));

        assertThat(nineInParis.nextAfter(Instant.parse("2030-03-30T12:00:00Z")))
                .as("the last day of winter time")
                .isEqualTo(Instant.parse("2030-03-31T07:00:00Z"));
        assertThat(nineInParis.nextAfter(Instant.parse("2030-03-29T12:00:00Z")))
                .isEqualTo(Instant.parse("2030-03-30T08:00:00Z"));
    }

    @Test
    void theLatestTickIncludesOneExactlyAtTheTime() {
        CronTimes everyFive = CronTimes.parse("*/5 * * * * *", UTC);

        assertThat(everyFive.latestAtOrBefore(Instant.parse("2030-01-01T10:07:35Z")))
                .isEqualTo(Instant.parse("2030-01-01T10:07:35Z"));
        assertThat(everyFive.latestAtOrBefore(Instant.parse("2030-01-01T10:07:39.999Z")))
                .isEqualTo(Instant.parse("2030-01-01T10:07:35Z"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            * * * *          | has 4 fields: give 5 fields
            61 * * * *       | '61 * * * *' is not valid: Failed to parse cron expression. Value 61 not in range [0, 59]
            @reboot          | '@reboot' is not valid
            0 0 31 2 *       | '0 0 31 2 *' never comes round (no such date)
            * * * * * * *    | has 7 fields
            every day        | has 2 fields
            """)
    void badExpressionsAreRefusedSayingWhy(String cron, String message) {
        assertThatThrownBy(() -> CronTimes.parse(cron, UTC))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
