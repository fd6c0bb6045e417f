package org.planetarymesh.coordinator.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.planetarymesh.core.job.Attempt;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobSpec;
import org.planetarymesh.core.job.JobSpecParser;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.job.Scope;
import org.planetarymesh.core.json.Json;

/**
 * {@link JobFlow} counts jobs by type and scope, times the jobs that started (submit to first start, last start to
 * end), bounds the type label, and {@link MeshStats#endedBy} sums its counts by type or scope for the dashboard.
 */
class JobFlowTest {

    private static final Instant T0 = Instant.parse("2026-12-07T12:00:00Z");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final JobFlow flow = new JobFlow(registry);

    @Test
    void countsByTypeAndScopeAndTimesStartedJobs() throws Exception {
        JobSpec echo = JobSpec.of("echo", null);
        JobSpec localSleep = JobSpecParser.parse(Json.mapper().readTree("{\"type\":\"sleep\",\"scope\":\"LOCAL\"}"));
        for (int i = 0; i < 3; i++) {
            flow.submitted(Job.submitted("e" + i, echo, T0));
        }
        flow.submitted(Job.submitted("s1", localSleep, T0));
        // e0 waited 100 ms, ran 200 ms on a second attempt that started 500 ms after submission
        flow.ended(ended("e0", echo, JobStatus.COMPLETED, List.of(attempt(1, 100, 300), attempt(2, 500, 700))));
        flow.ended(ended("e1", echo, JobStatus.FAILED, List.of(attempt(1, 50, 60))));
        flow.ended(ended("s1", localSleep, JobStatus.CANCELLED, List.of())); // cancelled in the queue

        List<JobFlow.KindCounts> kinds = flow.byKind();
        assertThat(kinds)
                .extracting(JobFlow.KindCounts::type, JobFlow.KindCounts::scope, JobFlow.KindCounts::submitted)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("echo", Scope.HYBRID, 3L),
                        org.assertj.core.groups.Tuple.tuple("sleep", Scope.LOCAL, 1L));
        assertThat(kinds.get(0).ended(JobStatus.COMPLETED)).isEqualTo(1);
        assertThat(kinds.get(0).ended(JobStatus.FAILED)).isEqualTo(1);
        assertThat(kinds.get(1).ended(JobStatus.CANCELLED)).isEqualTo(1);

        assertThat(flow.waited().count())
                .as("jobs that never started are not timed")
                .isEqualTo(2);
        assertThat(flow.waited().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(100 + 50);
        assertThat(flow.ran().totalTime(TimeUnit.MILLISECONDS))
                .as("the last attempt's run")
                .isEqualTo(200 + 10);

        assertThat(registry.get("mesh.jobs.ended")
                        .tags("type", "echo", "scope", "HYBRID", "status", "FAILED")
                        .functionCounter()
                        .count())
                .isEqualTo(1);
        assertThat(MeshStats.endedBy(kinds, JobFlow.KindCounts::scope))
                .containsEntry(
                        Scope.LOCAL,
                        Map.of(
                                JobStatus.COMPLETED, 0L,
                                JobStatus.FAILED, 0L,
                                JobStatus.CANCELLED, 1L,
                                JobStatus.TIMED_OUT, 0L,
                                JobStatus.DISPUTED, 0L,
                                JobStatus.REFUNDED, 0L));
        assertThat(MeshStats.endedBy(kinds, JobFlow.KindCounts::type).get("echo"))
                .containsEntry(JobStatus.COMPLETED, 1L)
                .containsEntry(JobStatus.FAILED, 1L);
    }

    @Test
    void typesBeyondTheCapAreCountedAsOther() {
        for (int i = 0; i < JobFlow.MAX_TYPES + 10; i++) {
            flow.submitted(Job.submitted("j" + i, JobSpec.of("type-" + i, null), T0));
        }
        List<JobFlow.KindCounts> kinds = flow.byKind();
        assertThat(kinds).hasSize(JobFlow.MAX_TYPES + 1);
        assertThat(kinds)
                .filteredOn(kind -> kind.type().equals(JobFlow.OTHER_TYPE))
                .singleElement()
                .extracting(JobFlow.KindCounts::submitted)
                .isEqualTo(10L);
        assertThat(kinds.stream().mapToLong(JobFlow.KindCounts::submitted).sum())
                .isEqualTo(JobFlow.MAX_TYPES + 10);
    }

    private static Attempt attempt(int number, long startMs, long endMs) {
        return new Attempt(number, "node-a", T0.plusMillis(startMs), T0.plusMillis(endMs), "done", null);
    }

    private static Job ended(String id, JobSpec spec, JobStatus status, List<Attempt> attempts) {
        Instant end =
                attempts.isEmpty() ? T0.plusMillis(10) : attempts.getLast().finishedAt();
        return Job.builder(id, spec)
                .status(status)
                .createdAt(T0)
                .updatedAt(end)
                .finishedAt(end)
                .attempts(attempts)
                .build();
    }
}
