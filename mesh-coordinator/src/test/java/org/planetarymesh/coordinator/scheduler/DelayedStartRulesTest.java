package org.planetarymesh.coordinator.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.coordinator.scheduler.SchedulerHarness.FakeNode;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobStatus;

/** {@code delay_ms}/{@code run_at}: a job waits PENDING until its time, durably, then runs like any other. */
class DelayedStartRulesTest {

    @TempDir
    Path dir;

    @Test
    void aDelayedJobIsNotPlacedBeforeItsTimeAndIsPlacedWhenItComes() {
        try (SchedulerHarness mesh = new SchedulerHarness(dir)) {
            FakeNode node = mesh.connect("n1", 1, "echo");
            Job job = mesh.submit("{\"type\":\"echo\",\"delay_ms\":5000}");

            mesh.advance(Duration.ofMillis(4_999), node);
            assertThat(node.assignments()).isEmpty();
            assertThat(mesh.job(job.id()).status()).isEqualTo(JobStatus.PENDING);

            mesh.advance(Duration.ofMillis(1), node);
            assertThat(node.lastAssignment().jobId()).isEqualTo(job.id());
        }
    }

    @Test
    void theWaitSurvivesARestartAndItsTimerIsArmedAgain() {
        String id;
        try (SchedulerHarness before = new SchedulerHarness(dir)) {
            id = before.submit("{\"type\":\"echo\",\"delay_ms\":3000}").id();
            before.settle();
            assertThat(before.store().find(id).orElseThrow().status()).isEqualTo(JobStatus.PENDING);
        }
        try (SchedulerHarness after = new SchedulerHarness(dir)) {
            FakeNode node = after.connect("n1", 1, "echo");
            after.advance(Duration.ofMillis(2_500), node);
            assertThat(node.assignments()).as("still before its time").isEmpty();

            after.advance(Duration.ofMillis(500), node);
            assertThat(node.lastAssignment().jobId()).isEqualTo(id);
        }
    }

    @Test
    void aDelayedJobWithDependenciesWaitsForItsTimeThenForThem() {
        try (SchedulerHarness mesh = new SchedulerHarness(dir)) {
            FakeNode node = mesh.connect("n1", 1, "echo");
            Job first = mesh.submit("{\"type\":\"echo\"}");
            Job later = mesh.submit("{\"type\":\"echo\",\"delay_ms\":1000,\"depends_on\":[\"" + first.id() + "\"]}");

            mesh.advance(Duration.ofSeconds(2), node);
            assertThat(mesh.job(later.id()).status())
                    .as("its dependency still runs")
                    .isEqualTo(JobStatus.PENDING);

            node.done(node.lastAssignment());
            assertThat(node.lastAssignment().jobId()).isEqualTo(later.id());
        }
    }

    @Test
    void aCancelledDelayedJobNeverRuns() throws Exception {
        try (SchedulerHarness mesh = new SchedulerHarness(dir)) {
            FakeNode node = mesh.connect("n1", 1, "echo");
            Job job = mesh.submit("{\"type\":\"echo\",\"delay_ms\":1000}");

            var reply = mesh.scheduler.cancel(job.id());
            mesh.turn();
            SchedulerHarness.result(reply);
            mesh.advance(Duration.ofSeconds(2), node);

            assertThat(node.assignments()).isEmpty();
            assertThat(mesh.job(job.id()).status()).isEqualTo(JobStatus.CANCELLED);
        }
    }
}
