package org.planetarymesh.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonMappingException;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link IsoInstant} writes exactly what {@link Instant#toString()} writes, and reads it as {@link Instant#parse}. */
class IsoInstantTest {

    @Test
    void edgeCasesMatchInstantToString() {
        for (String s : new String[] {
            "1970-01-01T00:00:00Z",
            "2030-01-01T00:00:00.100Z",
            "2030-01-01T00:00:00.000001Z",
            "2030-12-31T23:59:59.999999999Z",
            "2026-02-28T12:34:56.120Z",
            "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59.5Z",
            "1969-12-31T23:59:59.999Z"
        }) {
            Instant at = Instant.parse(s);
            assertThat(IsoInstant.format(at)).isEqualTo(at.toString());
        }
        assertThat(IsoInstant.format(Instant.MAX)).isEqualTo(Instant.MAX.toString());
        assertThat(IsoInstant.format(Instant.MIN)).isEqualTo(Instant.MIN.toString());
        assertThat(IsoInstant.format(Instant.parse("-0001-01-01T00:00:00Z"))).isEqualTo("-0001-01-01T00:00:00Z");
        assertThat(IsoInstant.format(Instant.parse("+10000-01-01T00:00:00Z"))).isEqualTo("+10000-01-01T00:00:00Z");
    }

    @Test
    void randomInstantsMatchInstantToString() {
        SplittableRandom random = new SplittableRandom(42);
        long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        long min = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        for (int i = 0; i < 100_000; i++) {
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant at = Instant.ofEpochSecond(random.nextLong(min, max + 1), nanos);
            assertThat(IsoInstant.format(at)).isEqualTo(at.toString());
            assertThat(IsoInstant.quoted(at)).isEqualTo(('"' + at.toString() + '"').toCharArray());
        }
    }

    @Test
    void parsesWhatInstantParseReads() {
        SplittableRandom random = new SplittableRandom(7);
        long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        long min = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        for (int i = 0; i < 100_000; i++) {
            String whole = Instant.ofEpochSecond(random.nextLong(min, max + 1)).toString();
            int digits = i % 10; // 0: no fraction, else 1 to 9 digits
            StringBuilder text = new StringBuilder(whole.substring(0, whole.length() - 1));
            if (digits > 0) {
                text.append('.');
                for (int d = 0; d < digits; d++) {
                    text.append((char) ('0' + random.nextInt(10)));
                }
            }
            String iso = text.append('Z').toString();
            assertThat(IsoInstant.parseOrNull(iso)).as(iso).isEqualTo(Instant.parse(iso));
        }
        assertThat(IsoInstant.parseOrNull("2028-02-29T00:00:00Z")).isEqualTo(Instant.parse("2028-02-29T00:00:00Z"));
    }

    @Test
    void leavesEverythingElseToInstantParse() {
        for (String s : new String[] {
            "2029-02-29T00:00:00Z",
            "2030-04-31T00:00:00Z",
            "2030-13-01T00:00:00Z",
            "2030-00-01T00:00:00Z",
            "2030-01-00T00:00:00Z",
            "2030-01-01T24:00:00Z",
            "2030-01-01T00:60:00Z",
            "2030-01-01T23:59:60Z",
            "2030-01-01T00:00:00.Z",
            "2030-01-01T00:00:00.1234567890Z",
            "2030-01-01T00:00:00",
            "2030-01-01 00:00:00Z",
            "2030-01-01T00:00:00+01:00",
            "2030-0a-01T00:00:00Z",
            "2030-01-01T00:00:00.12a4Z",
            "+10000-01-01T00:00:00Z",
            "-0001-01-01T00:00:00Z",
            ""
        }) {
            assertThat(IsoInstant.parseOrNull(s)).as(s).isNull();
        }
    }

    @Test
    void theSharedMapperReadsAndWritesInstantsThroughIt() throws Exception {
        var mapper = Json.mapper();
        Instant at = Instant.parse("2030-01-01T00:00:00.120Z");
        assertThat(mapper.writeValueAsString(at)).isEqualTo("\"2030-01-01T00:00:00.120Z\"");
        assertThat(mapper.readValue("\"2030-01-01T00:00:00.12Z\"", Instant.class))
                .isEqualTo(at);
        // What IsoInstant does not read still reaches Jackson's deserializer: numbers, offsets, leap seconds.
        assertThat(mapper.readValue("1700000000", Instant.class)).isEqualTo(Instant.ofEpochSecond(1_700_000_000));
        assertThat(mapper.readValue("\"2030-01-01T01:00:00+01:00\"", Instant.class))
                .isEqualTo(Instant.parse("2030-01-01T00:00:00Z"));
        assertThatThrownBy(() -> mapper.readValue("\"2030-02-30T00:00:00Z\"", Instant.class))
                .isInstanceOf(JsonMappingException.class);
    }
}
