package org.planetarymesh.coordinator.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.coordinator.scheduler.SchedulerHarness.FakeNode;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.protocol.Message;

/** Cancel in every state a job can be in, and a cancel whose write does not land. */
class CancelRulesTest {

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

    private CancelOutcome cancel(String id) throws Exception {
        CompletableFuture<CancelOutcome> reply = mesh.scheduler.cancel(id);
        mesh.turn();
        return SchedulerHarness.result(reply);
    }

    @Test
    void aQueuedJobIsCancelledDurably() throws Exception {
        Job job = mesh.submit("{\"type\":\"echo\"}"); // no node: it stays QUEUED

        assertThat(cancel(job.id())).isInstanceOf(CancelOutcome.Cancelled.class);

        assertThat(mesh.store().find(job.id()).orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);
        FakeNode node = mesh.connect("n1", 1, "echo");
        assertThat(node.assignments()).as("a cancelled job is never placed").isEmpty();
    }

    @Test
    void aPendingJobIsCancelledAndItsDependencyIsUntouched() throws Exception {
        Job first = mesh.submit("{\"type\":\"echo\"}");
        Job second = mesh.submit("{\"type\":\"echo\",\"depends_on\":[\"" + first.id() + "\"]}");
        assertThat(mesh.job(second.id()).status()).isEqualTo(JobStatus.PENDING);

        assertThat(cancel(second.id())).isInstanceOf(CancelOutcome.Cancelled.class);

        assertThat(mesh.store().find(second.id()).orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(mesh.job(first.id()).status()).isEqualTo(JobStatus.QUEUED);
    }

    @Test
    void anAssignedJobIsStoppedOnItsNodeAndItsSlotGoesToTheNextJob() throws Exception {
        FakeNode node = mesh.connect("n1", 1, "echo");
        Job assigned = mesh.submit("{\"type\":\"echo\"}");
        Job waiting = mesh.submit("{\"type\":\"echo\"}");
        assertThat(node.assignments()).hasSize(1);

        assertThat(cancel(assigned.id())).isInstanceOf(CancelOutcome.Cancelled.class);

        assertThat(node.cancels()).singleElement().satisfies(c -> {
            assertThat(c.jobId()).isEqualTo(assigned.id());
            assertThat(c.attempt()).isEqualTo(1);
        });
        assertThat(node.lastAssignment().jobId()).isEqualTo(waiting.id());
        node.done(new Message.AssignJob(assigned.id(), 1, "echo", null, null, null, null)); // too late: ignored
        assertThat(mesh.job(assigned.id()).status()).isEqualTo(JobStatus.CANCELLED);
    }

    @Test
    void aRunningJobIsStoppedOnItsNode() throws Exception {
        FakeNode node = mesh.connect("n1", 1, "echo");
        Job job = mesh.submit("{\"type\":\"echo\"}");
        node.report(new Message.JobAccepted(job.id(), 1));
        assertThat(mesh.job(job.id()).status()).isEqualTo(JobStatus.RUNNING);

        CancelOutcome outcome = cancel(job.id());

        assertThat(outcome)
                .isInstanceOfSatisfying(
                        CancelOutcome.Cancelled.class,
                        c -> assertThat(c.job().status()).isEqualTo(JobStatus.CANCELLED));
        assertThat(node.cancels()).extracting(Message.JobCancel::jobId).containsExactly(job.id());
        assertThat(mesh.store().find(job.id()).orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);
    }

    @Test
    void anEndedJobIsAlreadyFinishedAndAnUnknownOneIsNotFound() throws Exception {
        FakeNode node = mesh.connect("n1", 1, "echo");
        Job job = mesh.submit("{\"type\":\"echo\"}");
        node.done(node.lastAssignment());
        mesh.settle();

        assertThat(cancel(job.id()))
                .isInstanceOfSatisfying(
                        CancelOutcome.AlreadyFinished.class,
                        f -> assertThat(f.job().status()).isEqualTo(JobStatus.COMPLETED));
        assertThat(cancel("no-such-job")).isInstanceOf(CancelOutcome.NotFound.class);
    }

    @Test
    void aCancelWhoseWriteFailsIsNotAnsweredCancelled() throws Exception {
        Job job = mesh.submit("{\"type\":\"echo\"}");
        mesh.settle();
        mesh.database.close(); // every later commit fails: the store is gone

        CompletableFuture<CancelOutcome> reply = mesh.scheduler.cancel(job.id());
        mesh.turn();

        assertThatThrownBy(() -> SchedulerHarness.result(reply))
                .as("the cancel never became durable, so it must not be answered CANCELLED")
                .isInstanceOf(ExecutionException.class);
        assertThat(mesh.writer.failedTransactions())
                .as("the cancel's commit failed")
                .isPositive();
    }
}
