package org.planetarymesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobIds;
import org.planetarymesh.core.job.JobSpec;

/** {@code mesh submit --at/--delay}, and how {@code mesh jobs} and {@code mesh job} show a job waiting for its time. */
class DelayedSubmitTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    private static SubmitCommand parse(String... args) {
        return (SubmitCommand) MeshCommand.newCommandLine()
                .parseArgs(args)
                .subcommand()
                .commandSpec()
                .userObject();
    }

    @Test
    void atAndDelaySetTheSpecsStartTime() {
        assertThat(parse("submit", "echo", "--at", "2030-01-01T09:00:00+01:00")
                        .spec()
                        .runAt())
                .isEqualTo(Instant.parse("2030-01-01T08:00:00Z"));

        Instant before = Instant.now();
        Instant runAt = parse("submit", "echo", "--delay", "10m").spec().runAt();
        assertThat(runAt)
                .isBetween(before.plus(Duration.ofMinutes(10)), Instant.now().plus(Duration.ofMinutes(10)));
    }

    @Test
    void aLocalTimeIsReadInTheGivenZone() {
        assertThat(StartTimes.parse("2030-06-01T09:00", ZoneId.of("Europe/Paris")))
                .isEqualTo(Instant.parse("2030-06-01T07:00:00Z"));
    }

    @Test
    void badOrConflictingStartTimesAreUsageErrors() {
        Cli both = Cli.run(
                "submit", "echo", "--at", "2030-01-01T00:00Z", "--delay", "1m", "--coordinator", "http://127.0.0.1:1");
        assertThat(both.exitCode()).isNotZero();
        assertThat(both.err()).contains("give --at or --delay, not both");

        Cli bad = Cli.run("submit", "echo", "--at", "tomorrow", "--coordinator", "http://127.0.0.1:1");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("'tomorrow' is not a time");
    }

    @Test
    void aWaitingJobShowsWhenItRuns() {
        Job job = Job.submitted(JobIds.next(), JobSpec.of("echo", null).withRunAt(T0.plusSeconds(240)), T0);

        assertThat(JobsCommand.table(java.util.List.of(job), T0)).contains("PENDING, in 4m");
        assertThat(JobDetail.render(job, T0)).contains("Runs at   2030-01-01T00:04:00Z (in 4m)");
    }
}
