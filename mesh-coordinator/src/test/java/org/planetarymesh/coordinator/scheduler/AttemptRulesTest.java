package org.planetarymesh.coordinator.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.coordinator.scheduler.SchedulerHarness.FakeNode;
import org.planetarymesh.core.job.Attempt;
import org.planetarymesh.core.job.ErrorCode;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.protocol.Message;

/** Retry backoff, attempt timeout, deadline and attempt fencing, on a fake clock. */
class AttemptRulesTest {

    @TempDir
    Path dir;

    private SchedulerHarness mesh;

    @BeforeEach
    void start() {
        mesh = new SchedulerHarness(dir);
    }

    @AfterEach
    void stop() {
        mesh.close();
    }

    @Test
    void aFailedAttemptIsRetriedAfterItsBackoffWhichGrowsUntilTheAttemptsRunOut() {
        FakeNode node = mesh.connect("n1", 1, "echo");
        Job job = mesh.submit("""
                {"type":"echo","retry":{"max_attempts":3,
                 "backoff":{"initial_ms":1000,"multiplier":2,"max_ms":10000,"jitter":0}}}""");
        assertThat(node.lastAssignment().attempt()).isEqualTo(1);

        node.fail(node.lastAssignment(), "boom", true);
        assertThat(mesh.job(job.id()).status()).isEqualTo(JobStatus.QUEUED);
        mesh.advance(Duration.ofMillis(999));
        assertThat(node.assignments()).as("still backing off").hasSize(1);
        mesh.advance(Duration.ofMillis(1));
        assertThat(node.lastAssignment().attempt()).isEqualTo(2);

        node.fail(node.lastAssignment(), "boom", true);
        mesh.advance(Duration.ofMillis(1_999));
        assertThat(node.assignments())
                .as("the second backoff is twice the first")
                .hasSize(2);
        mesh.advance(Duration.ofMillis(1));
        assertThat(node.lastAssignment().attempt()).isEqualTo(3);

        node.fail(node.lastAssignment(), "boom", true);
        Job failed = mesh.job(job.id());
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.error().message()).contains("attempt 3 of 3");
        assertThat(failed.attempts()).extracting(Attempt::outcome).containsExactly("failed", "failed", "failed");
    }

    @Test
    void aNonRetryableErrorFailsTheJobAtOnce() {
        FakeNode node = mesh.connect("n1", 1, "echo");
        Job job = mesh.submit("{\"type\":\"echo\",\"retry\":{\"max_attempts\":5}}");

        node.fail(node.lastAssignment(), "bad_payload", false);

        assertThat(mesh.job(job.id()).status()).isEqualTo(JobStatus.FAILED);
        assertThat(mesh.job(job.id()).error().code()).isEqualTo("bad_payload");
    }

    @Test
    void aCodeThisVersionDoesNotKnowIsAnOrdinaryFailureAndIsKeptAsSent() {
        FakeNode node = mesh.connect("n1", 1, "echo");
        Job job = mesh.submit("""
                {"type":"echo","retry":{"max_attempts":2,"backoff":{"initial_ms":1000,"jitter":0}}}""");

        node.fail(node.lastAssignment(), "quota_exceeded", true);

        Job retrying = mesh.job(job.id());
        assertThat(retrying.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(retrying.attempts().getFirst().outcome()).isEqualTo("failed");
        assertThat(retrying.attempts().getFirst().error().code()).isEqualTo("quota_exceeded");
        assertThat(retrying.attempts().getFirst().error().codeKind()).isEqualTo(ErrorCode.UNKNOWN);
        mesh.advance(Duration.ofMillis(1_000));
        node.fail(node.lastAssignment(), "quota_exceeded", true);
        assertThat(mesh.job(job.id()).status()).isEqualTo(JobStatus.FAILED);
        assertThat(mesh.job(job.id()).error().code()).isEqualTo("quota_exceeded");
    }

    @Test
    void anAttemptPastItsTimeoutIsStoppedAndRetriedAndALateResultForItIsIgnored() {
        FakeNode node = mesh.connect("n1", 1, "echo");
        Job job = mesh.submit("""
                {"type":"echo","timeout_ms":5000,
                 "retry":{"max_attempts":2,"backoff":{"initial_ms":0,"jitter":0}}}""");
        Message.AssignJob first = node.lastAssignment();
        node.report(new Message.JobAccepted(job.id(), 1));

        mesh.advance(Duration.ofMillis(4_999), node);
        assertThat(node.cancels()).isEmpty();
        mesh.advance(Duration.ofMillis(1), node);
        assertThat(node.cancels()).singleElement().satisfies(c -> {
            assertThat(c.attempt()).isEqualTo(1);
            assertThat(c.reason()).isEqualTo("timeout");
        });
        Message.AssignJob second = node.lastAssignment();
        assertThat(second.attempt()).isEqualTo(2);

        node.done(first); // the stopped attempt's result arrives late: fenced off by its attempt number
        assertThat(mesh.job(job.id()).status()).isEqualTo(JobStatus.ASSIGNED);
        assertThat(mesh.job(job.id()).attempt()).isEqualTo(2);

        mesh.advance(Duration.ofMillis(5_000), node);
        Job failed = mesh.job(job.id());
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.error().code()).isEqualTo("timeout");
        assertThat(failed.attempts()).extracting(Attempt::outcome).containsExactly("timeout", "timeout");
    }

    @Test
    void aReportFromAnotherNodeOrAnOldAttemptChangesNothing() {
        FakeNode n1 = mesh.connect("n1", 1, "echo");
        FakeNode n2 = mesh.connect("n2", 1, "echo");
        Job job = mesh.submit("{\"type\":\"echo\",\"placement\":\"first-healthy\"}");
        Message.AssignJob a = n1.lastAssignment();
        assertThat(a).isNotNull();

        n2.done(a); // not the node that holds it
        n1.report(new Message.JobDone(job.id(), 7, null, null, 1, null, null, null)); // not its attempt
        assertThat(mesh.job(job.id()).status()).isEqualTo(JobStatus.ASSIGNED);

        n1.done(a);
        assertThat(mesh.job(job.id()).status()).isEqualTo(JobStatus.COMPLETED);
    }

    @Test
    void aJobPastItsDeadlineTimesOutWhetherRunningOrStillQueued() {
        FakeNode node = mesh.connect("n1", 1, "echo");
        String deadline = mesh.clock.instant().plusSeconds(10).toString();
        Job running = mesh.submit("{\"type\":\"echo\",\"deadline\":\"" + deadline + "\"}");
        Job queued = mesh.submit("{\"type\":\"echo\",\"deadline\":\"" + deadline + "\"}"); // no free slot
        node.report(new Message.JobAccepted(running.id(), 1));

        mesh.advance(Duration.ofMillis(9_999), node);
        assertThat(mesh.job(running.id()).status()).isEqualTo(JobStatus.RUNNING);
        mesh.advance(Duration.ofMillis(1), node);

        assertThat(mesh.job(running.id()).status()).isEqualTo(JobStatus.TIMED_OUT);
        assertThat(mesh.job(running.id()).error().code()).isEqualTo("deadline_exceeded");
        assertThat(node.cancels()).extracting(Message.JobCancel::reason).contains("deadline passed");
        assertThat(mesh.job(queued.id()).status()).isEqualTo(JobStatus.TIMED_OUT);
        assertThat(node.assignments())
                .as("the freed slot is not given to a job past its deadline")
                .hasSize(1);
    }

    @Test
    void outOfCapacityRequeuesWithoutUsingAnAttempt() {
        FakeNode node = mesh.connect("n1", 1, "echo");
        Job job = mesh.submit("{\"type\":\"echo\",\"retry\":{\"max_attempts\":1}}");

        node.report(new Message.JobRejected(job.id(), 1, "out_of_capacity", "busy"));
        assertThat(mesh.job(job.id()).status()).isEqualTo(JobStatus.QUEUED);
        mesh.advance(Duration.ofMillis(200));
        node.done(node.lastAssignment());

        Job done = mesh.job(job.id());
        assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(done.attempts()).extracting(Attempt::outcome).containsExactly("rejected", "completed");
    }
}
