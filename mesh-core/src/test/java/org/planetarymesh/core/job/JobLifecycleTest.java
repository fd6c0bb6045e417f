package org.planetarymesh.core.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.planetarymesh.core.job.JobFixtures.NODE;
import static org.planetarymesh.core.job.JobFixtures.aPendingJob;
import static org.planetarymesh.core.job.JobFixtures.aQueuedJob;
import static org.planetarymesh.core.job.JobFixtures.aRunningJob;
import static org.planetarymesh.core.job.JobFixtures.anAssignedJob;
import static org.planetarymesh.core.job.JobFixtures.at;
import static org.planetarymesh.core.job.JobFixtures.routingTo;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** How {@link Job} moves through its lifecycle: attempts as fencing tokens, attempt history, timestamps. */
class JobLifecycleTest {

    private static final JobError NODE_LOST = new JobError("node_lost", "node-a stopped heartbeating");

    @Test
    void aJobWithoutDependenciesIsQueuedOnSubmission() {
        Job job = aQueuedJob();

        assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(job.attempt()).isZero();
        assertThat(job.attempts()).isEmpty();
        assertThat(job.createdAt()).isEqualTo(at(0));
        assertThat(job.updatedAt()).isEqualTo(at(0));
        assertThat(job.finishedAt()).isNull();
    }

    @Test
    void aJobWithDependenciesWaitsPendingUntilReleased() {
        Job job = aPendingJob();
        assertThat(job.status()).isEqualTo(JobStatus.PENDING);

        Job released = job.released(at(5));
        assertThat(released.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(released.updatedAt()).isEqualTo(at(5));
    }

    @Test
    void assigningStartsANewNumberedAttemptOnThatNode() {
        Job job = anAssignedJob();

        assertThat(job.status()).isEqualTo(JobStatus.ASSIGNED);
        assertThat(job.nodeId()).isEqualTo(NODE);
        assertThat(job.attempt()).isEqualTo(1);
        assertThat(job.routing()).isEqualTo(routingTo(NODE));
        assertThat(job.attempts()).containsExactly(new Attempt(1, NODE, at(1), null, null, null));
        assertThat(job.updatedAt()).isEqualTo(at(1));
    }

    @Test
    void runningRecordsTheFirstStartOnly() {
        Job job = aRunningJob();
        assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(job.startedAt()).isEqualTo(at(2));

        Job secondRun = job.endAttempt(JobStatus.QUEUED, "failed", null, NODE_LOST, at(10), at(3))
                .assign("node-b", routingTo("node-b"), at(10))
                .running(at(11));
        assertThat(secondRun.startedAt()).isEqualTo(at(2));
    }

    @Test
    void aRetryClosesTheAttemptAndTheNextAssignmentIsAttemptTwo() {
        Job retried = aRunningJob().endAttempt(JobStatus.QUEUED, "failed", null, NODE_LOST, at(10), at(3));

        assertThat(retried.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(retried.error()).isEqualTo(NODE_LOST);
        assertThat(retried.notBefore()).isEqualTo(at(10));
        assertThat(retried.finishedAt()).isNull();
        assertThat(retried.attempts()).containsExactly(new Attempt(1, NODE, at(1), at(3), "failed", NODE_LOST));

        Job again = retried.assign("node-b", routingTo("node-b"), at(10));
        assertThat(again.attempt()).isEqualTo(2);
        assertThat(again.nodeId()).isEqualTo("node-b");
        assertThat(again.error()).isNull();
        assertThat(again.notBefore()).isNull();
        assertThat(again.attempts())
                .containsExactly(
                        new Attempt(1, NODE, at(1), at(3), "failed", NODE_LOST),
                        new Attempt(2, "node-b", at(10), null, null, null));
    }

    @Test
    void completingRecordsTheResultFullProgressAndFinishTime() {
        var result = JsonNodeFactory.instance.objectNode().put("echo", "hi");

        Job done = aRunningJob()
                .withProgress(0.5, at(3))
                .endAttempt(JobStatus.COMPLETED, "completed", result, null, null, at(4));

        assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(done.result()).isEqualTo(result);
        assertThat(done.progress()).isEqualTo(1.0);
        assertThat(done.finishedAt()).isEqualTo(at(4));
        assertThat(done.updatedAt()).isEqualTo(at(4));
        assertThat(done.attempts()).containsExactly(new Attempt(1, NODE, at(1), at(4), "completed", null));
    }

    @Test
    void anAgentMayReportDoneStraightFromAssigned() {
        Job done =
                anAssignedJob().endAttempt(JobStatus.COMPLETED, "completed", TextNode.valueOf("ok"), null, null, at(2));

        assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(done.finishedAt()).isEqualTo(at(2));
    }

    @Test
    void cancellingAQueuedJobFinishesItWithoutInventingAnAttempt() {
        JobError why = new JobError("cancelled", "cancelled by the client");

        Job cancelled = aQueuedJob().finish(JobStatus.CANCELLED, why, at(3));

        assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(cancelled.error()).isEqualTo(why);
        assertThat(cancelled.finishedAt()).isEqualTo(at(3));
        assertThat(cancelled.attempts()).isEmpty();
    }

    @Test
    void finishingARunningJobClosesItsOpenAttemptWithTheStatusAsOutcome() {
        JobError why = new JobError("timeout", "deadline passed");

        Job timedOut = aRunningJob().finish(JobStatus.TIMED_OUT, why, at(9));

        assertThat(timedOut.attempts()).containsExactly(new Attempt(1, NODE, at(1), at(9), "timed_out", why));
        assertThat(timedOut.finishedAt()).isEqualTo(at(9));
    }

    @ParameterizedTest
    @EnumSource(
            value = JobStatus.class,
            names = {"QUEUED", "RUNNING"})
    void finishedAtStaysEmptyWhileTheJobCanStillMove(JobStatus live) {
        Job job = aRunningJob();
        Job moved = live == JobStatus.RUNNING ? job : job.transitionTo(live, at(5));

        assertThat(moved.finishedAt()).isNull();
    }

    @ParameterizedTest
    @EnumSource(
            value = JobStatus.class,
            names = {"COMPLETED", "FAILED", "CANCELLED", "TIMED_OUT"})
    void everyTerminalTransitionStampsFinishedAt(JobStatus terminal) {
        Job moved = aRunningJob().transitionTo(terminal, at(7));

        assertThat(moved.status()).isEqualTo(terminal);
        assertThat(moved.finishedAt()).isEqualTo(at(7));
        assertThat(moved.updatedAt()).isEqualTo(at(7));
    }

    @Test
    void aDisputedJobIsFinishedThoughAPersonMaySettleIt() {
        Job disputed = aRunningJob().transitionTo(JobStatus.DISPUTED, at(5));

        assertThat(disputed.status().isTerminal()).isTrue();
        assertThat(disputed.finishedAt()).isEqualTo(at(5));
        assertThat(disputed.status().canTransitionTo(JobStatus.REFUNDED)).isTrue();
    }

    @Test
    void aRefundedDisputeIsFinished() {
        Job refunded = aRunningJob().transitionTo(JobStatus.DISPUTED, at(5)).transitionTo(JobStatus.REFUNDED, at(6));

        assertThat(refunded.finishedAt()).isEqualTo(at(6));
    }

    @Test
    void anIllegalMoveIsRefusedAndLeavesTheJobUnchanged() {
        Job queued = aQueuedJob();

        assertThatThrownBy(() -> queued.running(at(1))).isInstanceOf(IllegalTransitionException.class);
        assertThatThrownBy(() -> queued.transitionTo(JobStatus.COMPLETED, at(1)))
                .isInstanceOf(IllegalTransitionException.class);
        assertThat(queued).isEqualTo(aQueuedJob());
    }

    @Test
    void aCompletedJobCannotBeAssignedAgain() {
        Job done = aRunningJob().endAttempt(JobStatus.COMPLETED, "completed", null, null, null, at(3));

        assertThatThrownBy(() -> done.assign("node-b", routingTo("node-b"), at(4)))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessage("a job cannot go from COMPLETED to ASSIGNED (COMPLETED is terminal)");
    }

    @Test
    void attemptsHistoryCannotBeChangedFromOutside() {
        assertThatThrownBy(() -> anAssignedJob().attempts().clear()).isInstanceOf(UnsupportedOperationException.class);
    }
}
