package org.planetarymesh.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.client.NewSchedule;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobSpec;
import org.planetarymesh.core.job.Requirements;
import org.planetarymesh.core.job.RetryPolicy;
import org.planetarymesh.core.schedule.MissedFires;
import org.planetarymesh.core.schedule.Schedule;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mesh schedule create|list|pause|resume|run|delete}: recurring jobs on a cron schedule. */
@Command(
        name = "schedule",
        description = "Recurring jobs: create, list, pause, resume, run now or delete cron schedules.",
        subcommands = {
            ScheduleCommand.Create.class,
            ScheduleCommand.List.class,
            ScheduleCommand.Pause.class,
            ScheduleCommand.Resume.class,
            ScheduleCommand.Run.class,
            ScheduleCommand.Delete.class
        })
public final class ScheduleCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 2;
    }

    /** The schedules table: ID, CRON, ZONE, TYPE, STATE, NEXT, LAST JOB. */
    static String table(java.util.List<Schedule> schedules, Instant now) {
        Table table = new Table("ID", "CRON", "ZONE", "TYPE", "STATE", "NEXT", "LAST JOB");
        for (Schedule s : schedules) {
            table.row(
                    s.id(),
                    s.cron(),
                    s.zone(),
                    s.job().type(),
                    s.paused() ? "paused" : "running",
                    s.paused() || s.nextFire() == null ? null : Cells.startTime(s.nextFire(), now),
                    s.lastJobId());
        }
        return table.render();
    }

    @Command(name = "create", description = "Create a schedule that submits a job of TYPE each time CRON comes round.")
    static final class Create extends ClientCommand {
        @Parameters(index = "0", paramLabel = "TYPE", description = "The job type, as for mesh submit.")
        String type;

        @Option(
                names = "--cron",
                required = true,
                paramLabel = "EXPR",
                description = "5 fields (e.g. '0 9 * * MON-FRI'), 6 with a leading seconds field, or @hourly,"
                        + " @daily, @weekly, @monthly, @yearly.")
        String cron;

        @Option(names = "--zone", paramLabel = "ZONE", description = "Time zone of the cron, e.g. Europe/Paris (UTC).")
        String zone;

        @Option(
                names = "--missed",
                paramLabel = "POLICY",
                description =
                        "Ticks missed while no coordinator ran: run_once (default: one job for them all) or skip.")
        String missed;

        @Option(names = "--paused", description = "Create it paused.")
        boolean paused;

        @Option(names = "--payload", paramLabel = "JSON|@FILE", description = "Each job's payload.")
        String payload;

        @Option(names = "--priority", paramLabel = "N", description = "Each job's priority (default 0).")
        int priority;

        @Option(
                names = "--timeout",
                paramLabel = "DUR",
                converter = Durations.class,
                description = "Each job's time limit per attempt.")
        Duration timeout;

        @Option(names = "--max-attempts", paramLabel = "N", description = "How many times to try each job.")
        Integer maxAttempts;

        @Option(
                names = "--capability",
                paramLabel = "CAP",
                split = ",",
                description = "A capability the node must have.")
        java.util.List<String> capabilities = java.util.List.of();

        @Mixin
        OutputOption output;

        @Override
        protected int run(MeshClient client) {
            MissedFires policy = missed == null
                    ? null
                    : MissedFires.fromWire(missed)
                            .orElseThrow(() -> new UserError(
                                    "invalid_argument", "--missed must be run_once or skip (got '" + missed + "')"));
            JobSpec job = JobSpec.of(type, PayloadJson.read(payload))
                    .withPriority(priority)
                    .withTimeoutMs(timeout == null ? null : timeout.toMillis())
                    .withRequirements(new Requirements(capabilities, null, null, null))
                    .withRetry(maxAttempts == null ? null : new RetryPolicy(maxAttempts, null));
            Schedule created =
                    client.schedules().create(new NewSchedule(cron, zone, job, policy, paused ? true : null));
            if (output.json()) {
                printJson(created);
            } else {
                out().println(created.id());
                out().flush();
                err().println("next run: " + (created.nextFire() == null ? "never" : created.nextFire()));
                err().flush();
            }
            return 0;
        }
    }

    @Command(name = "list", description = "List schedules.")
    static final class List extends ClientCommand {
        @Mixin
        OutputOption output;

        @Override
        protected int run(MeshClient client) {
            java.util.List<Schedule> schedules = client.schedules().list();
            if (output.json()) {
                printJson(schedules);
            } else {
                out().print(table(schedules, Instant.now()));
                out().flush();
            }
            return 0;
        }
    }

    /** The commands that name one schedule and print it (or the job it made) afterwards. */
    abstract static class OnOne extends ClientCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The schedule id.")
        String id;

        @Mixin
        OutputOption output;

        void show(Schedule s) {
            if (output.json()) {
                printJson(s);
            } else {
                out().print(table(java.util.List.of(s), Instant.now()));
                out().flush();
            }
        }
    }

    @Command(name = "pause", description = "Pause a schedule: it makes no jobs until resumed.")
    static final class Pause extends OnOne {
        @Override
        protected int run(MeshClient client) {
            show(client.schedules().pause(id));
            return 0;
        }
    }

    @Command(name = "resume", description = "Resume a schedule at its next time from now.")
    static final class Resume extends OnOne {
        @Override
        protected int run(MeshClient client) {
            show(client.schedules().resume(id));
            return 0;
        }
    }

    @Command(name = "run", description = "Make one job from a schedule now; prints the job id.")
    static final class Run extends OnOne {
        @Override
        protected int run(MeshClient client) {
            Job job = client.schedules().run(id);
            if (output.json()) {
                printJson(job);
            } else {
                out().println(job.id());
                out().flush();
            }
            return 0;
        }
    }

    @Command(name = "delete", description = "Delete a schedule; the jobs it made stay.")
    static final class Delete extends OnOne {
        @Override
        protected int run(MeshClient client) {
            client.schedules().delete(id);
            if (!output.json()) {
                out().println("schedule " + id + " deleted");
                out().flush();
            }
            return 0;
        }
    }
}
