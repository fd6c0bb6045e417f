package org.planetarymesh.coordinator.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A small mesh heartbeats on the configured interval; a large one is paced to a mesh-wide rate, within a cap. */
class HeartbeatPacingTest {

    private final HeartbeatPacing pacing = new HeartbeatPacing(Duration.ofSeconds(1), 100);

    @Test
    void upToTheRateEveryAgentHeartbeatsOnTheBaseInterval() {
        assertThat(pacing.intervalFor(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(pacing.intervalFor(100)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void beyondTheRateTheIntervalGrowsSoTheMeshStaysNearIt() {
        assertThat(pacing.intervalFor(250)).isEqualTo(Duration.ofMillis(2_500));
        assertThat(pacing.intervalFor(1_000)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void theIntervalNeverExceedsTenTimesTheBase() {
        assertThat(pacing.intervalFor(100_000)).isEqualTo(Duration.ofSeconds(10));
        assertThat(pacing.longest()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aZeroRateOrIntervalIsRefused() {
        assertThatThrownBy(() -> new HeartbeatPacing(Duration.ofSeconds(1), 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HeartbeatPacing(Duration.ZERO, 100)).isInstanceOf(IllegalArgumentException.class);
    }
}
