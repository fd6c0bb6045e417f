package org.planetarymesh.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({
        "500ms,500",
        "30s,30000",
        "2m,120000",
        "1h,3600000",
        "1d,86400000",
        "1m30s,90000",
        "PT45S,45000",
        " 10S ,10000"
    })
    void parsesWhatPeopleType(String text, long millis) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"30", "", "s", "10 s", "1.5s", "-3s", "3x", "PTX"})
    void refusesAmbiguousOrMalformedInputSayingWhatWorks(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("500ms, 30s, 2m");
    }

    @ParameterizedTest
    @CsvSource({"850,850ms", "1500,1.5s", "12000,12s", "180000,3m", "7200000,2h", "345600000,4d"})
    void formatsCompactly(long millis, String text) {
        assertThat(Durations.format(Duration.ofMillis(millis))).isEqualTo(text);
    }
}
