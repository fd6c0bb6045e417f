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
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.node.NodeInfo;
import org.planetarymesh.core.node.NodeStatus;
import org.planetarymesh.core.protocol.Message;

/**
 * A node that is stopping or draining finishes what it has and gets nothing new; what it hands back costs no attempt;
 * a node dead for longer than the retention leaves {@code GET /v1/nodes}.
 */
class StoppingNodeRulesTest {

    @TempDir
    Path dir;

    private SchedulerHarness mesh;

    @BeforeEach
    void start() {
        mesh = new SchedulerHarness(dir, c -> c.withDeadNodeRetention(Duration.ofMinutes(10)));
    }

    @AfterEach
    void stop() {
        mesh.close();
    }

    private NodeStatus status(String nodeId) {
        return mesh.scheduler.node(nodeId).map(NodeInfo::status).orElse(null);
    }

    @Test
    void aJobHandedBackByAStoppingAgentIsNotSentBackToItAndCostsNoAttempt() {
        FakeNode stopping = mesh.connect("stopping", 2, "echo");
        Job job = mesh.submit("{\"type\":\"echo\",\"retry\":{\"max_attempts\":1}}");
        assertThat(stopping.lastAssignment().jobId()).isEqualTo(job.id());

        stopping.fail(stopping.lastAssignment(), "agent_stopping", true);

        assertThat(stopping.assignments())
                .as("not assigned again to the agent that is stopping")
                .hasSize(1);
        assertThat(status("stopping")).isEqualTo(NodeStatus.DRAINING);
        Job other = mesh.submit("{\"type\":\"echo\"}");
        assertThat(stopping.assignments())
                .as("a stopping agent gets no new work")
                .hasSize(1);

        stopping.disconnect();
        mesh.advance(Duration.ofSeconds(7)); // the stopped agent is declared dead: it held nothing
        FakeNode next = mesh.connect("next", 2, "echo");
        assertThat(next.assignments())
                .extracting(Message.AssignJob::jobId)
                .containsExactlyInAnyOrder(job.id(), other.id());
        next.done(next.assignments().stream()
                .filter(a -> a.jobId().equals(job.id()))
                .findFirst()
                .orElseThrow());

        Job done = mesh.job(job.id());
        assertThat(done.status())
                .as("with max_attempts 1, a used attempt would have failed it")
                .isEqualTo(JobStatus.COMPLETED);
        assertThat(done.attempts()).extracting(Attempt::outcome).containsExactly("interrupted", "completed");
    }

    @Test
    void anAgentThatSaysItDrainsGetsNoNewWorkButFinishesWhatItHas() {
        FakeNode node = mesh.connect("n1", 2, "echo");
        Job running = mesh.submit("{\"type\":\"echo\"}");

        node.report(new Message.Drain("agent stopping"));
        Job later = mesh.submit("{\"type\":\"echo\"}");

        assertThat(node.assignments()).extracting(Message.AssignJob::jobId).containsExactly(running.id());
        assertThat(status("n1")).isEqualTo(NodeStatus.DRAINING);
        node.done(node.lastAssignment());
        assertThat(mesh.job(running.id()).status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(mesh.job(later.id()).status()).isEqualTo(JobStatus.QUEUED);
    }

    @Test
    void aNodeTheCoordinatorDrainsShowsDraining() {
        FakeNode node = mesh.connect("n1", 1, "echo");

        mesh.scheduler.drain("n1");
        mesh.turn();

        assertThat(node.sent).hasAtLeastOneElementOfType(Message.Drain.class);
        assertThat(status("n1")).isEqualTo(NodeStatus.DRAINING);
    }

    @Test
    void aDeadNodeLeavesTheNodeListOnceTheRetentionHasPassed() {
        FakeNode gone = mesh.connect("gone", 1, "echo");
        FakeNode alive = mesh.connect("alive", 1, "echo");
        gone.disconnect();

        mesh.advance(Duration.ofSeconds(7), alive);
        assertThat(status("gone")).isEqualTo(NodeStatus.DEAD);
        mesh.advance(Duration.ofMinutes(9), alive);
        assertThat(status("gone")).as("dead, but within the retention").isEqualTo(NodeStatus.DEAD);
        mesh.advance(Duration.ofMinutes(1), alive);

        assertThat(mesh.scheduler.nodes()).extracting(NodeInfo::id).containsExactly("alive");
    }

    @Test
    void aDeadNodeThatComesBackIsListedAgainAndNotForgottenLater() {
        FakeNode first = mesh.connect("n1", 1, "echo");
        first.disconnect();
        mesh.advance(Duration.ofSeconds(7));
        assertThat(status("n1")).isEqualTo(NodeStatus.DEAD);

        FakeNode again = mesh.connect("n1", 1, "echo");
        mesh.advance(Duration.ofMinutes(11), again);

        assertThat(status("n1")).isEqualTo(NodeStatus.HEALTHY);
    }
}
