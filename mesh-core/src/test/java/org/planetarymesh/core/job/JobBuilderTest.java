package org.planetarymesh.core.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The builder copies every field of a job and sets each by name. */
class JobBuilderTest {

    private static final Instant T = Instant.parse("2026-12-01T12:00:00Z");

    @Test
    void aCopyThroughTheBuilderEqualsTheJobAndChangesOnlyWhatItSets() {
        Job job = Job.submitted("j-1", JobSpec.of("echo", null), "owner-1", T)
                .assign("n1", new Routing("least-loaded", "n1", List.of(), List.of(), T), T.plusSeconds(1))
                .running(T.plusSeconds(2))
                .withProgress(0.5, T.plusSeconds(3))
                .endAttempt(JobStatus.QUEUED, AttemptOutcome.FAILED, null, new JobError("x", "y"), T.plusSeconds(9), T);

        assertThat(job.toBuilder().build()).isEqualTo(job);
        Job changed = job.toBuilder().receiptCid("bafy-receipt").progress(0.75).build();
        assertThat(changed.receiptCid()).isEqualTo("bafy-receipt");
        assertThat(changed.progress()).isEqualTo(0.75);
        assertThat(changed.toBuilder().receiptCid(null).progress(0.5).build()).isEqualTo(job);
    }

    @Test
    void aNewJobFromTheBuilderNamesEachField() {
        Job job = Job.builder("j-2", JobSpec.of("echo", null))
                .status(JobStatus.RUNNING)
                .nodeId("n2")
                .attempt(1)
                .createdAt(T)
                .updatedAt(T)
                .startedAt(T)
                .attempts(List.of(new Attempt(1, null, T, null, null, null)))
                .owner("me")
                .build();

        assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(job.attempts().getFirst().nodeId())
                .as("an attempt without a node ran on the job's")
                .isEqualTo("n2");
        assertThat(job.owner()).isEqualTo("me");
    }
}
