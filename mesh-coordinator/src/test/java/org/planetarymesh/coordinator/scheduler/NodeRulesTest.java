package org.planetarymesh.coordinator.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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

/** Capacity, silent and dead nodes, on a fake clock (heartbeat 1 s, suspect after 3 s, dead after 6 s). */
class NodeRulesTest {

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

    private NodeStatus status(String nodeId) {
        return mesh.scheduler.node(nodeId).map(NodeInfo::status).orElse(null);
    }

    @Test
    void aNodeGetsNoMoreJobsThanItHasSlotsAndTheNextWaitsForOneToFree() {
        FakeNode node = mesh.connect("n1", 2, "echo");
        Job a = mesh.submit("{\"type\":\"echo\"}");
        Job b = mesh.submit("{\"type\":\"echo\"}");
        Job c = mesh.submit("{\"type\":\"echo\"}");

        assertThat(node.assignments()).extracting(x -> x.jobId()).containsExactly(a.id(), b.id());
        assertThat(mesh.job(c.id()).status()).isEqualTo(JobStatus.QUEUED);

        node.done(node.assignments().getFirst());
        assertThat(node.lastAssignment().jobId()).isEqualTo(c.id());
    }

    @Test
    void aJobNoNodeCanRunWaitsWithItsReasonAndIsPlacedWhenSuchANodeJoins() {
        mesh.connect("n1", 1, "echo");
        Job job = mesh.submit("{\"type\":\"gpu-thing\"}");
        assertThat(mesh.job(job.id()).routing().candidates())
                .singleElement()
                .satisfies(c -> assertThat(c.rejectedBy()).contains("does not run type gpu-thing"));

        FakeNode gpu = mesh.connect("n2", 1, "gpu-thing");

        assertThat(gpu.lastAssignment().jobId()).isEqualTo(job.id());
    }

    @Test
    void aSilentNodeGetsNoNewWorkThenIsDeclaredDeadAndItsJobsRunElsewhere() {
        FakeNode n1 = mesh.connect("n1", 1, "echo");
        Job job = mesh.submit("{\"type\":\"echo\"}");
        assertThat(n1.lastAssignment().jobId()).isEqualTo(job.id());

        mesh.advance(Duration.ofMillis(3_500));
        assertThat(status("n1")).isEqualTo(NodeStatus.SUSPECT);
        FakeNode n2 = mesh.connect("n2", 1, "echo");
        assertThat(n2.assignments()).as("n1 still has the job until it is dead").isEmpty();

        mesh.advance(Duration.ofSeconds(3), n2);
        assertThat(status("n1")).isEqualTo(NodeStatus.DEAD);
        assertThat(n1.closedBecause).isEqualTo("declared dead");
        mesh.advance(Duration.ofSeconds(1), n2); // the retry's backoff (500 ms by default)

        assertThat(n2.lastAssignment()).satisfies(a -> {
            assertThat(a.jobId()).isEqualTo(job.id());
            assertThat(a.attempt()).isEqualTo(2);
        });
        assertThat(mesh.job(job.id()).attempts())
                .extracting(Attempt::outcome)
                .first()
                .isEqualTo("lost");
    }

    @Test
    void aNodeToldToHeartbeatLessOftenMayStaySilentLongerButAClosedLinkWaitsOnlyTheConfiguredDeadAfter() {
        // Told 5 s instead of 1 s: suspect after 15 s and dead after 30 s of silence instead of 3 s and 6 s.
        mesh.connect("paced", 1, List.of(), Duration.ofSeconds(5), "echo");
        FakeNode closing = mesh.connect("closing", 1, List.of(), Duration.ofSeconds(5), "echo");

        mesh.advance(Duration.ofSeconds(14));
        assertThat(status("paced")).isEqualTo(NodeStatus.HEALTHY);
        closing.disconnect();
        mesh.advance(Duration.ofSeconds(2));
        assertThat(status("paced")).isEqualTo(NodeStatus.SUSPECT);
        mesh.advance(Duration.ofSeconds(5));
        assertThat(status("closing"))
                .as("closed 7 s ago: the configured 6 s apply")
                .isEqualTo(NodeStatus.DEAD);
        mesh.advance(Duration.ofSeconds(12));
        assertThat(status("paced")).as("silent 33 s").isEqualTo(NodeStatus.DEAD);
    }

    @Test
    void aHeartbeatBringsASuspectNodeBack() {
        FakeNode n1 = mesh.connect("n1", 1, "echo");
        mesh.advance(Duration.ofMillis(3_500));
        assertThat(status("n1")).isEqualTo(NodeStatus.SUSPECT);

        n1.heartbeat();

        assertThat(status("n1")).isEqualTo(NodeStatus.HEALTHY);
        Job job = mesh.submit("{\"type\":\"echo\"}");
        assertThat(n1.lastAssignment().jobId()).isEqualTo(job.id());
    }
}
