package org.planetarymesh.coordinator.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.planetarymesh.coordinator.scheduler.SchedulerHarness.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.coordinator.scheduler.SchedulerHarness.FakeNode;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.core.protocol.Message;
import org.planetarymesh.store.StoredReplica;

/** Verified jobs ({@code verify}): replicas on distinct nodes, the verdict, cancel, and a restart mid-quorum. */
class ReplicaRulesTest {

    private static final String VERIFIED = "{\"type\":\"echo\",\"verify\":{\"replicas\":3,\"quorum\":2}}";

    @TempDir
    Path dir;

    private static void answer(FakeNode node, Message.AssignJob a, String result) {
        node.report(new Message.JobDone(a.jobId(), a.attempt(), json(result), null, 1, null, null, null));
    }

    private static List<JsonNode> replicas(SchedulerHarness mesh, String id) {
        mesh.settle();
        return mesh.store().replicas(id).stream()
                .map(StoredReplica::document)
                .map(SchedulerHarness::json)
                .toList();
    }

    @Test
    void replicasGoToDistinctNodesAndAThirdWaitsRatherThanShareOne() {
        try (SchedulerHarness mesh = new SchedulerHarness(dir)) {
            FakeNode n1 = mesh.connect("n1", 4, "echo");
            FakeNode n2 = mesh.connect("n2", 4, "echo");
            Job job = mesh.submit(VERIFIED);

            assertThat(mesh.job(job.id()).status()).isEqualTo(JobStatus.RUNNING);
            assertThat(n1.assignments()).hasSize(1);
            assertThat(n2.assignments()).hasSize(1);
            assertThat(n1.lastAssignment().jobId())
                    .isNotEqualTo(n2.lastAssignment().jobId());

            answer(n1, n1.lastAssignment(), "{\"v\":1}");
            mesh.turn();
            assertThat(n1.assignments())
                    .as("n1 produced replica output: never another replica")
                    .hasSize(1);

            FakeNode n3 = mesh.connect("n3", 4, "echo");
            mesh.turn();
            assertThat(n3.assignments()).hasSize(1);
        }
    }

    @Test
    void twoAgreeingOfThreeCompleteTheJobWithTheirResultAndTheThirdDissents() {
        try (SchedulerHarness mesh = new SchedulerHarness(dir)) {
            FakeNode n1 = mesh.connect("n1", 1, "echo");
            FakeNode n2 = mesh.connect("n2", 1, "echo");
            FakeNode n3 = mesh.connect("n3", 1, "echo");
            Job job = mesh.submit(VERIFIED);

            answer(n1, n1.lastAssignment(), "{\"v\":1}");
            answer(n3, n3.lastAssignment(), "{\"v\":666}");
            assertThat(mesh.job(job.id()).status())
                    .as("waits for every replica")
                    .isEqualTo(JobStatus.RUNNING);
            answer(n2, n2.lastAssignment(), "{\"v\":1}");

            Job done = mesh.job(job.id());
            assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(done.result()).isEqualTo(json("{\"v\":1}"));
            List<JsonNode> replicas = replicas(mesh, job.id());
            assertThat(replicas).extracting(r -> r.path("node_id").asText()).containsExactly("n1", "n2", "n3");
            assertThat(replicas)
                    .extracting(r -> r.path("verdict").asText())
                    .containsExactly("agreed", "agreed", "dissented");
            assertThat(mesh.store().find(job.id()).orElseThrow().status()).isEqualTo(JobStatus.COMPLETED);
        }
    }

    @Test
    void noTwoAgreeingEndsDisputedAndEveryReplicaFailingEndsFailed() {
        try (SchedulerHarness mesh = new SchedulerHarness(dir)) {
            FakeNode n1 = mesh.connect("n1", 2, "echo");
            FakeNode n2 = mesh.connect("n2", 2, "echo");
            FakeNode n3 = mesh.connect("n3", 2, "echo");
            Job disputed = mesh.submit(VERIFIED);
            answer(n1, n1.lastAssignment(), "{\"v\":1}");
            answer(n2, n2.lastAssignment(), "{\"v\":2}");
            n3.fail(n3.lastAssignment(), "executor_error", false);

            Job d = mesh.job(disputed.id());
            assertThat(d.status()).isEqualTo(JobStatus.DISPUTED);
            assertThat(d.error().code()).isEqualTo("quorum_not_reached");
            assertThat(d.error().message()).contains("2 distinct outputs").contains("1 replica produced no output");
            assertThat(d.result().path("outputs")).hasSize(2);

            Job failed = mesh.submit("{\"type\":\"echo\",\"verify\":{\"replicas\":2,\"quorum\":2}}");
            for (FakeNode n : List.of(n1, n2, n3)) {
                if (n.assignments().size() == 2) {
                    n.fail(n.lastAssignment(), "executor_error", false);
                }
            }
            Job f = mesh.job(failed.id());
            assertThat(f.status()).isEqualTo(JobStatus.FAILED);
            assertThat(f.error().message()).startsWith("every replica failed");
        }
    }

    @Test
    void aRetriedVerifiedJobRunsAgainAsNewReplicas() throws Exception {
        try (SchedulerHarness mesh = new SchedulerHarness(dir)) {
            FakeNode n1 = mesh.connect("n1", 1, "echo");
            FakeNode n2 = mesh.connect("n2", 1, "echo");
            Job job = mesh.submit(
                    "{\"type\":\"echo\",\"verify\":{\"replicas\":2,\"quorum\":2}," + "\"retry\":{\"max_attempts\":1}}");
            n1.fail(n1.lastAssignment(), "executor_error", false);
            n2.fail(n2.lastAssignment(), "executor_error", false);
            assertThat(mesh.job(job.id()).status()).isEqualTo(JobStatus.FAILED);
            mesh.settle();

            java.util.concurrent.CompletableFuture<RetryOutcome> reply = mesh.scheduler.retry(job.id());
            mesh.turn();
            mesh.settle();
            mesh.turn();
            assertThat(SchedulerHarness.result(reply)).isInstanceOf(RetryOutcome.Retried.class);

            assertThat(mesh.job(job.id()).status()).isEqualTo(JobStatus.RUNNING);
            assertThat(n1.assignments()).hasSize(2);
            assertThat(n2.assignments()).hasSize(2);
            answer(n1, n1.lastAssignment(), "{\"v\":1}");
            answer(n2, n2.lastAssignment(), "{\"v\":1}");
            assertThat(mesh.job(job.id()).status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(replicas(mesh, job.id()))
                    .extracting(r -> r.path("job_id").asText())
                    .containsExactly(
                            n1.lastAssignment().jobId(), n2.lastAssignment().jobId());
        }
    }

    @Test
    void cancellingAVerifiedJobCancelsItsReplicasOnTheirNodes() throws Exception {
        try (SchedulerHarness mesh = new SchedulerHarness(dir)) {
            FakeNode n1 = mesh.connect("n1", 1, "echo");
            FakeNode n2 = mesh.connect("n2", 1, "echo");
            Job job = mesh.submit("{\"type\":\"echo\",\"verify\":{\"replicas\":2,\"quorum\":2}}");

            java.util.concurrent.CompletableFuture<CancelOutcome> reply = mesh.scheduler.cancel(job.id());
            mesh.turn();
            assertThat(SchedulerHarness.result(reply)).isInstanceOf(CancelOutcome.Cancelled.class);

            assertThat(mesh.job(job.id()).status()).isEqualTo(JobStatus.CANCELLED);
            assertThat(n1.cancels()).hasSize(1);
            assertThat(n2.cancels()).hasSize(1);
            assertThat(mesh.job(n1.lastAssignment().jobId()).status()).isEqualTo(JobStatus.CANCELLED);
        }
    }

    @Test
    void aRestartMidQuorumKeepsTheEndedReplicasAndRunsAgainOneThatStreamedAcrossIt() {
        String id;
        Message.AssignJob first;
        Message.AssignJob second;
        Message.AssignJob third;
        try (SchedulerHarness before = new SchedulerHarness(dir)) {
            FakeNode n1 = before.connect("n1", 1, "echo");
            FakeNode n2 = before.connect("n2", 1, "echo");
            FakeNode n3 = before.connect("n3", 1, "echo");
            id = before.submit(VERIFIED).id();
            first = n1.lastAssignment();
            second = n2.lastAssignment();
            third = n3.lastAssignment();
            answer(n1, first, "{\"v\":7}");
            n2.report(new Message.JobChunk(second.jobId(), second.attempt(), 0, "half of it", "stdout"));
            before.advance(Duration.ofMillis(WriteBehind.DEFERRED_WRITE_DELAY_MS));
            before.settle();
        }
        try (SchedulerHarness after = new SchedulerHarness(dir)) {
            FakeNode n2 =
                    after.connect("n2", 1, List.of(new Message.RunningJob(second.jobId(), second.attempt())), "echo");
            FakeNode n3 =
                    after.connect("n3", 1, List.of(new Message.RunningJob(third.jobId(), third.attempt())), "echo");
            n2.heartbeat(second.jobId());
            n3.heartbeat(third.jobId());
            assertThat(after.job(id).status()).isEqualTo(JobStatus.RUNNING);

            answer(n3, third, "{\"v\":7}");
            answer(n2, second, "{\"v\":7}");
            assertThat(after.job(id).status())
                    .as("replicas 2 and 3 were on their nodes across the restart: what they sent before is lost")
                    .isEqualTo(JobStatus.RUNNING);
            for (FakeNode node : List.of(n2, n3)) {
                Message.AssignJob again = node.lastAssignment();
                assertThat(again.attempt()).as("runs again, no attempt used").isEqualTo(2);
                answer(node, again, "{\"v\":7}");
            }
            assertThat(after.job(second.jobId()).attempts())
                    .extracting(a -> a.outcome())
                    .containsExactly("interrupted", "completed");

            Job done = after.job(id);
            assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(done.result()).isEqualTo(json("{\"v\":7}"));
            assertThat(replicas(after, id))
                    .extracting(r -> r.path("verdict").asText())
                    .containsExactly("agreed", "agreed", "agreed");
            assertThat(Json.mapper()
                            .valueToTree(done)
                            .path("spec")
                            .path("verify")
                            .path("quorum")
                            .asInt())
                    .isEqualTo(2);
        }
    }
}
