package org.planetarymesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobError;
import org.planetarymesh.core.job.JobEvent;
import org.planetarymesh.core.job.JobIds;
import org.planetarymesh.core.job.JobSpec;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.job.PlacementPolicy;
import org.planetarymesh.core.job.Routing;

class ClientCommandsTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    private static Job queued() {
        return Job.submitted(JobIds.next(), JobSpec.of("echo", new TextNode("hi")), T0);
    }

    private static Job ended(Job job, JobStatus status) {
        Job running = job.assign("did:key:z6MkNodeA", null, T0).running(T0);
        return status == JobStatus.COMPLETED
                ? running.endAttempt(status, "completed", new TextNode("hi"), null, null, T0)
                : running.finish(status, new JobError(status.name().toLowerCase(), "it " + status), T0);
    }

    @ParameterizedTest(name = "{0} -> exit {1}")
    @CsvSource({"COMPLETED,0", "FAILED,1", "CANCELLED,2", "TIMED_OUT,3"})
    void submitWaitExitsWithTheJobsOutcome(JobStatus status, int exitCode) throws IOException {
        Job job = queued();
        Job done = ended(job, status);
        try (FakeCoordinator mesh = new FakeCoordinator()
                .job(job, done)
                .events(job.id(), JobEvent.status(done, 1), JobEvent.end(done, 2))) {
            Cli cli = Cli.run("submit", "echo", "--payload", "\"hi\"", "--wait", "--coordinator", mesh.url());

            assertThat(cli.exitCode()).isEqualTo(exitCode);
            if (status == JobStatus.COMPLETED) {
                assertThat(cli.out()).isEqualTo("hi\n");
            } else {
                assertThat(cli.err())
                        .isEqualTo("job " + job.id() + " " + status + ": it " + status + " ("
                                + status.name().toLowerCase() + ")\n");
            }
        }
    }

    @Test
    void submitFollowStreamsTheOutputChunks() throws IOException {
        Job job = queued();
        Job done = ended(job, JobStatus.COMPLETED);
        try (FakeCoordinator mesh = new FakeCoordinator()
                .job(job, done)
                .events(job.id(), chunk(job, 1, "hello "), chunk(job, 2, "world\n"), JobEvent.end(done, 3))) {
            Cli cli = Cli.run("submit", "echo", "--follow", "--coordinator", mesh.url());

            assertThat(cli.exitCode()).isZero();
            assertThat(cli.out()).isEqualTo("hello world\n");
        }
    }

    @Test
    void submitWithoutWaitPrintsTheId() throws IOException {
        Job job = queued();
        try (FakeCoordinator mesh = new FakeCoordinator().job(job, job)) {
            Cli cli = Cli.run("submit", "echo", "--coordinator", mesh.url());

            assertThat(cli.exitCode()).isZero();
            assertThat(cli.out()).isEqualTo(job.id() + "\n");
        }
    }

    @Test
    void submitPlacementNamesThePolicyAndRefusesOneThatDoesNotExist() {
        SubmitCommand submit = (SubmitCommand) MeshCommand.newCommandLine()
                .parseArgs("submit", "echo", "--placement", "bin-pack")
                .subcommand()
                .commandSpec()
                .userObject();
        assertThat(submit.spec().placement().policy()).isEqualTo(PlacementPolicy.BIN_PACK);

        Cli cli = Cli.run("submit", "echo", "--placement", "auction", "--coordinator", "http://127.0.0.1:1");
        assertThat(cli.exitCode()).isEqualTo(2);
        assertThat(cli.err()).contains("must be least-loaded, first-healthy or bin-pack (got 'auction')");
    }

    @Test
    void jobsPrintsAnAlignedTable() throws IOException {
        Job a = ended(queued(), JobStatus.COMPLETED);
        Job b = queued();
        try (FakeCoordinator mesh = new FakeCoordinator().answer("/v1/jobs", Map.of("jobs", List.of(b, a)))) {
            Cli cli = Cli.run("jobs", "--coordinator", mesh.url());

            assertThat(cli.exitCode()).isZero();
            List<String> lines = cli.out().lines().toList();
            assertThat(lines).hasSize(3);
            assertThat(lines.get(0)).matches("ID +TYPE +STATUS +NODE +ATTEMPT +AGE");
            assertThat(lines.get(1)).startsWith(b.id() + "  echo  QUEUED ").contains(" -  ", " 0/3 ");
            assertThat(lines.get(2)).startsWith(a.id() + "  echo  COMPLETED").contains("did:key:z6MkNodeA", " 1/3 ");
            // Aligned: every column starts at the same offset on every line.
            assertThat(lines)
                    .allSatisfy(line -> assertThat(line.indexOf(line.contains("echo") ? "echo" : "TYPE"))
                            .isEqualTo(lines.get(0).indexOf("TYPE")));
        }
    }

    @Test
    void jobShowsRoutingReasoningAndAttempts() throws IOException {
        Routing routing = new Routing(
                "least-loaded",
                "did:key:z6MkNodeA",
                List.of(
                        new Routing.Candidate("did:key:z6MkNodeA", 0.75, null),
                        new Routing.Candidate("did:key:z6MkNodeB", null, "missing capability gpu")),
                List.of("did:key:z6MkNodeC"),
                T0);
        Job job = ended(queued(), JobStatus.COMPLETED).withRouting(routing);
        try (FakeCoordinator mesh = new FakeCoordinator().answer("/v1/jobs/" + job.id(), job)) {
            Cli cli = Cli.run("job", job.id(), "--coordinator", mesh.url());

            assertThat(cli.exitCode()).isZero();
            assertThat(cli.out())
                    .contains("Status    COMPLETED")
                    .contains("Routing (least-loaded)")
                    .contains("Winner:      did:key:z6MkNodeA")
                    .contains("Runners-up:  did:key:z6MkNodeC")
                    .containsPattern("did:key:z6MkNodeA +0\\.750")
                    .containsPattern("did:key:z6MkNodeB +- +missing capability gpu")
                    .containsPattern("1 +did:key:z6MkNodeA .* completed");
        }
    }

    @Test
    void jobShowsWhyAModelAwarePlacementChoseItsNode() throws IOException {
        Routing routing = new Routing(
                "model-aware",
                "did:key:z6MkWarm",
                List.of(
                        new Routing.Candidate("did:key:z6MkWarm", 1.5, null),
                        new Routing.Candidate("did:key:z6MkCold", 0.5, null)),
                List.of("did:key:z6MkCold"),
                T0,
                "model tiny is loaded on did:key:z6MkWarm; did:key:z6MkCold has it cold");
        Job job = ended(queued(), JobStatus.COMPLETED).withRouting(routing);
        try (FakeCoordinator mesh = new FakeCoordinator().answer("/v1/jobs/" + job.id(), job)) {
            Cli cli = Cli.run("job", job.id(), "--coordinator", mesh.url());

            assertThat(cli.out())
                    .contains("Routing (model-aware)")
                    .contains("Why:         model tiny is loaded on did:key:z6MkWarm; did:key:z6MkCold has it cold");
        }
    }

    @Test
    void jsonOutputPrintsTheApisAnswer() throws IOException {
        try (FakeCoordinator mesh =
                new FakeCoordinator().answer("/v1/nodes", "{\"nodes\": [{\"id\": \"n1\", \"extra_field\": true}]}")) {
            Cli cli = Cli.run("nodes", "--output", "json", "--coordinator", mesh.url());

            assertThat(cli.exitCode()).isZero();
            assertThat(cli.out()).contains("\"extra_field\" : true");
        }
    }

    @Test
    void notFoundIsOneLineWithTheApisCode() throws IOException {
        try (FakeCoordinator mesh = new FakeCoordinator()) {
            Cli cli = Cli.run("job", "nope", "--coordinator", mesh.url());

            assertThat(cli.exitCode()).isEqualTo(1);
            assertThat(cli.err()).isEqualTo("error: no route /v1/jobs/nope (not_found)\n");
        }
    }

    private static JobEvent chunk(Job job, long seq, String text) {
        String data = Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
        return JobEvent.chunk(job.id(), seq, T0, 1, seq, data, "stdout");
    }
}
