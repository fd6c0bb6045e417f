package org.planetarymesh.core.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Attempt outcomes keep the names stored jobs already carry, and say which ones use up an attempt. */
class AttemptOutcomeTest {

    @Test
    void wireNamesAreTheOnesStoredJobsCarry() {
        assertThat(Arrays.stream(AttemptOutcome.values()).map(AttemptOutcome::wireName))
                .containsExactly(
                        "completed",
                        "failed",
                        "timeout",
                        "lost",
                        "cancelled",
                        "timed_out",
                        "rejected",
                        "interrupted",
                        "invalid_receipt");
        for (AttemptOutcome outcome : AttemptOutcome.values()) {
            assertThat(AttemptOutcome.fromWire(outcome.wireName())).isSameAs(outcome);
        }
        assertThat(AttemptOutcome.fromWire(null)).isNull();
        assertThat(AttemptOutcome.fromWire("outbid"))
                .as("a name from a newer version")
                .isNull();
    }

    @Test
    void onlyARejectionAndAnAgentShuttingDownLeaveTheAttemptUnused() {
        assertThat(Arrays.stream(AttemptOutcome.values()).filter(o -> !o.usesAttempt()))
                .containsExactlyInAnyOrder(AttemptOutcome.REJECTED, AttemptOutcome.INTERRUPTED);
    }

    @Test
    void anAttemptEndedWithATypedOutcomeStoresItsWireName() {
        Instant now = Instant.parse("2026-12-01T12:00:00Z");
        Job job = Job.submitted("j", JobSpec.of("echo", null), now)
                .assign("n1", null, now)
                .endAttempt(JobStatus.QUEUED, AttemptOutcome.INTERRUPTED, null, null, null, now);

        assertThat(job.attempts().getLast().outcome()).isEqualTo("interrupted");
        assertThat(job.attempts().getLast().outcomeKind()).isEqualTo(AttemptOutcome.INTERRUPTED);
    }
}
