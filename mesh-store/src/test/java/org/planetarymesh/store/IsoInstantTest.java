package org.planetarymesh.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link IsoInstant} writes exactly what {@link Instant#toString()} writes. */
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
        }
    }
}
