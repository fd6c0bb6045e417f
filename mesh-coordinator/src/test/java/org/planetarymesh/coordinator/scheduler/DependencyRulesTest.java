package org.planetarymesh.coordinator.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.coordinator.scheduler.SchedulerHarness.FakeNode;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobIds;
import org.planetarymesh.core.job.JobStatus;

/** {@code depends_on}: a job waits PENDING for its dependencies, runs when all completed, fails when one did not. */
class DependencyRulesTest {

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

    private static String dependingOn(String... ids) {
        return "{\"type\":\"echo\",\"depends_on\":[\"" + String.join("\",\"", ids) + "\"]}";
    }

    @Test
    void aJobWaitsForAllItsDependenciesAndRunsWhenTheyCompleted() {
        FakeNode node = mesh.connect("n1", 2, "echo");
        Job a = mesh.submit("{\"type\":\"echo\"}");
        Job b = mesh.submit("{\"type\":\"echo\"}");
        Job c = mesh.submit(dependingOn(a.id(), b.id()));
        assertThat(mesh.job(c.id()).status()).isEqualTo(JobStatus.PENDING);

        node.done(node.assignments().get(0));
        assertThat(mesh.job(c.id()).status()).as("b still runs").isEqualTo(JobStatus.PENDING);
        node.done(node.assignments().get(1));

        assertThat(node.lastAssignment().jobId()).isEqualTo(c.id());
    }

    @Test
    void aJobWhoseDependencyFailedFailsWithoutRunning() {
        FakeNode node = mesh.connect("n1", 1, "echo");
        Job a = mesh.submit("{\"type\":\"echo\",\"retry\":{\"max_attempts\":1}}");
        Job b = mesh.submit(dependingOn(a.id()));

        node.fail(node.lastAssignment(), "boom", true);

        Job failed = mesh.job(b.id());
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.error().code()).isEqualTo("dependency_failed");
        assertThat(failed.error().message()).contains(a.id()).contains("FAILED");
        assertThat(node.assignments()).hasSize(1);
    }

    @Test
    void aDependencyThatEndedBeforeIsReadFromTheStoreAndAMissingOneFailsTheJob() {
        FakeNode node = mesh.connect("n1", 1, "echo");
        Job a = mesh.submit("{\"type\":\"echo\"}");
        node.done(node.lastAssignment());

        Job after = mesh.submit(dependingOn(a.id()));
        String missing = JobIds.next();
        Job orphan = mesh.submit(dependingOn(missing));

        assertThat(node.lastAssignment().jobId()).isEqualTo(after.id());
        assertThat(mesh.job(orphan.id()).status()).isEqualTo(JobStatus.FAILED);
        assertThat(mesh.job(orphan.id()).error().message()).contains(missing + " does not exist");
    }
}
