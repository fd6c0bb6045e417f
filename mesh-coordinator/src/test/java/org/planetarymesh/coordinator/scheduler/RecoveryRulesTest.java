package org.planetarymesh.coordinator.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.coordinator.scheduler.SchedulerHarness.FakeNode;
import org.planetarymesh.core.job.Attempt;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.protocol.Message;

/** Write-behind of ASSIGNED and RUNNING, and what a restarted scheduler does with the jobs it finds in the store. */
class RecoveryRulesTest {

    @TempDir
    Path dir;

    private static JobStatus stored(SchedulerHarness mesh, String id) {
        mesh.settle();
        return mesh.store().find(id).orElseThrow().status();
    }

    @Test
    void aShortAttemptIsWrittenOnlyWhenItEndsAndALongOneAfterTheDeferredWriteDelay() {
        try (SchedulerHarness mesh = new SchedulerHarness(dir)) {
            FakeNode node = mesh.connect("n1", 2, "echo");
            Job shortJob = mesh.submit("{\"type\":\"echo\"}");
            node.done(node.lastAssignment());
            Job longJob = mesh.submit("{\"type\":\"echo\"}");
            node.report(new Message.JobAccepted(longJob.id(), 1));

            assertThat(stored(mesh, shortJob.id())).isEqualTo(JobStatus.COMPLETED);
            assertThat(stored(mesh, longJob.id())).as("not written yet").isEqualTo(JobStatus.QUEUED);
            mesh.advance(Duration.ofMillis(WriteBehind.DEFERRED_WRITE_DELAY_MS));
            assertThat(stored(mesh, longJob.id())).isEqualTo(JobStatus.RUNNING);
            assertThat(mesh.store().events(shortJob.id(), 0))
                    .extracting(e -> e.status())
                    .as("a short job's log skips ASSIGNED and RUNNING")
                    .doesNotContain(JobStatus.ASSIGNED, JobStatus.RUNNING);
        }
    }

    @Test
    void afterARestartTheAgentThatClaimsItsJobFinishesItOnTheSameAttempt() {
        String id;
        try (SchedulerHarness before = new SchedulerHarness(dir)) {
            before.connect("n1", 1, "echo");
            id = before.submit("{\"type\":\"echo\"}").id();
            before.advance(Duration.ofMillis(WriteBehind.DEFERRED_WRITE_DELAY_MS));
            assertThat(stored(before, id)).isEqualTo(JobStatus.ASSIGNED);
        }
        try (SchedulerHarness after = new SchedulerHarness(dir)) {
            FakeNode node = after.connect("n1", 1, List.of(new Message.RunningJob(id, 1)), "echo");
            node.heartbeat(id);
            after.advance(Duration.ofSeconds(11), node); // past the recovery grace
            assertThat(after.job(id).status()).isEqualTo(JobStatus.ASSIGNED);

            node.done(new Message.AssignJob(id, 1, "echo", null, null, null, null));

            Job done = after.job(id);
            assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(done.attempts()).extracting(Attempt::outcome).containsExactly("completed");
        }
    }

    @Test
    void afterARestartAJobNoAgentClaimsIsRetriedWhenTheGraceEnds() {
        String id;
        try (SchedulerHarness before = new SchedulerHarness(dir)) {
            before.connect("n1", 1, "echo");
            id = before.submit("{\"type\":\"echo\"}").id();
            before.advance(Duration.ofMillis(WriteBehind.DEFERRED_WRITE_DELAY_MS));
        }
        try (SchedulerHarness after = new SchedulerHarness(dir)) {
            FakeNode other = after.connect("n2", 1, "echo");
            after.advance(Duration.ofSeconds(9), other);
            assertThat(after.job(id).status()).as("within the grace").isEqualTo(JobStatus.ASSIGNED);
            after.advance(Duration.ofSeconds(2), other); // the grace ends, then the retry's backoff

            assertThat(other.lastAssignment().jobId()).isEqualTo(id);
            assertThat(other.lastAssignment().attempt()).isEqualTo(2);
            assertThat(after.job(id).attempts())
                    .extracting(Attempt::outcome)
                    .first()
                    .isEqualTo("lost");
        }
    }
}
