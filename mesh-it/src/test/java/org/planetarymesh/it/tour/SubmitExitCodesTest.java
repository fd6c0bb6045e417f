package org.planetarymesh.it.tour;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.client.JobQuery;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.it.MeshProcess;
import org.planetarymesh.it.MeshProcess.Result;

/**
 * {@code mesh submit ... --wait} exits with the code its help documents for how the job ended: 0 COMPLETED,
 * 1 FAILED, 2 CANCELLED, 4 still running when {@code --wait-timeout} ran out — against a real {@code mesh up}.
 */
class SubmitExitCodesTest {

    private static final Duration COMMAND = Duration.ofSeconds(60);

    @TempDir
    static Path dir;

    private static LocalMesh mesh;
    private static MeshClient client;

    @BeforeAll
    static void up() {
        mesh = new LocalMesh(dir);
        mesh.start();
        client = mesh.client();
    }

    @AfterAll
    static void down() {
        if (client != null) {
            client.close();
        }
        if (mesh != null) {
            mesh.close();
        }
    }

    @Test
    void theHelpDocumentsTheExitCodes() {
        Result help = mesh.mesh(COMMAND, "submit", "--help");

        assertThat(help.stdout())
                .containsPattern("0\\s+COMPLETED")
                .containsPattern("1\\s+FAILED")
                .containsPattern("2\\s+CANCELLED")
                .containsPattern("3\\s+TIMED_OUT")
                .containsPattern("4\\s+still running");
    }

    @Test
    void aCompletedJobExitsZeroAndPrintsItsResult() {
        Result result = mesh.mesh(COMMAND, "submit", "echo", "--payload", "{\"n\":42}", "--wait");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).contains("\"n\" : 42");
    }

    @Test
    void aShellJobOnAnAgentWithoutAnAllowListFailsWithExitCodeOne() {
        Result result = mesh.mesh(COMMAND, "submit", "shell", "--payload", "{\"command\":[\"ls\"]}", "--wait");

        assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isEqualTo(1);
        assertThat(result.stderr()).contains(" FAILED").contains("(unsupported)");
    }

    @Test
    void aJobThatTimesOutOnItsOnlyAttemptFailsWithExitCodeOne() {
        Result result = mesh.mesh(
                COMMAND,
                "submit",
                "sleep",
                "--payload",
                "{\"ms\":30000}",
                "--timeout",
                "300ms",
                "--max-attempts",
                "1",
                "--wait");

        assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isEqualTo(1);
        assertThat(result.stderr()).contains(" FAILED").contains("(timeout)");
    }

    @Test
    void aJobPastItsDeadlineEndsTimedOutWithExitCodeThree() {
        Result result =
                mesh.mesh(COMMAND, "submit", "sleep", "--payload", "{\"ms\":30000}", "--deadline", "700ms", "--wait");

        assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isEqualTo(3);
        assertThat(result.stderr()).contains("TIMED_OUT").contains("(deadline_exceeded)");
    }

    @Test
    void aJobCancelledWhileTheCliWaitsExitsWithCodeTwo() {
        try (MeshProcess waiting = mesh.startCli(
                "wait-for-cancel", "submit", "sleep", "--payload", "{\"ms\":60000,\"tag\":\"cancel-me\"}", "--wait")) {
            Job running = await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> tagged("cancel-me", JobStatus.RUNNING), jobs -> jobs.size() == 1)
                    .getFirst();

            Result cancel = mesh.mesh(COMMAND, "cancel", running.id());

            assertThat(cancel.exitCode()).as(cancel.stderr()).isZero();
            assertThat(cancel.stdout()).contains("job " + running.id() + " CANCELLED");
            assertThat(waiting.waitFor(Duration.ofSeconds(30)))
                    .as(waiting.log())
                    .isEqualTo(2);
            assertThat(waiting.log()).contains("job " + running.id() + " CANCELLED");
        }
    }

    @Test
    void runningOutOfWaitTimeExitsWithCodeFourAndTheJobGoesOn() {
        Result result = mesh.mesh(
                COMMAND,
                "submit",
                "sleep",
                "--payload",
                "{\"ms\":60000,\"tag\":\"outlast\"}",
                "--wait",
                "--wait-timeout",
                "1s");

        assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isEqualTo(4);
        assertThat(result.stderr()).contains("did not finish within");
        List<Job> still = tagged("outlast", null);
        assertThat(still).singleElement().satisfies(job -> {
            assertThat(job.status().isTerminal()).isFalse();
            client.cancel(job.id());
        });
    }

    private static List<Job> tagged(String tag, JobStatus status) {
        return client.list(JobQuery.all().withType("sleep").withStatus(status)).jobs().stream()
                .filter(job -> tag.equals(job.spec().payload().path("tag").asText()))
                .toList();
    }
}
