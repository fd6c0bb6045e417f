package org.planetarymesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.planetarymesh.client.AwaitTimeoutException;
import org.planetarymesh.client.Chunks;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.client.Submission;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobEvent;
import org.planetarymesh.core.job.JobSpec;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.job.Placement;
import org.planetarymesh.core.job.PlacementPolicy;
import org.planetarymesh.core.job.Requirements;
import org.planetarymesh.core.job.RetryPolicy;
import org.planetarymesh.core.job.Scope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mesh submit}: submits one job, and with {@code --wait} waits for it and exits with its outcome. */
@Command(
        name = "submit",
        description = "Submit a job. With --wait, wait for it; with --follow, also stream its output.",
        exitCodeListHeading = "%nExit codes with --wait:%n",
        exitCodeList = {
            "0:COMPLETED",
            "1:FAILED, or an error",
            "2:CANCELLED (or a usage error)",
            "3:TIMED_OUT",
            "4:still running when --wait-timeout ran out"
        })
public final class SubmitCommand extends ClientCommand {

    /** Exit code when the job was still running when the client stopped waiting. */
    public static final int WAIT_TIMED_OUT = 4;

    @Parameters(
            index = "0",
            paramLabel = "TYPE",
            description = "Job type: a built-in executor (echo, sleep, shell, http, wasm) or one a node's plugin adds.")
    String type;

    @Option(
            names = "--payload",
            paramLabel = "JSON|@FILE",
            description = "The job's payload as JSON, or @file to read it.")
    String payload;

    @Option(
            names = "--module",
            paramLabel = "FILE",
            description = "For a wasm job: a .wasm file, stored in the coordinator's blob store and named in the"
                    + " payload as \"module\": its CID.")
    java.nio.file.Path module;

    @Option(
            names = "--capability",
            paramLabel = "CAP",
            split = ",",
            description = "A capability the node must have (repeatable, or comma-separated).")
    List<String> capabilities = List.of();

    @Option(names = "--priority", paramLabel = "N", description = "Higher runs first (default 0).")
    int priority;

    @Option(
            names = "--timeout",
            paramLabel = "DUR",
            converter = Durations.class,
            description = "Time limit per attempt, e.g. 30s, 500ms, 2m.")
    Duration timeout;

    @Option(
            names = "--deadline",
            paramLabel = "DUR",
            converter = Durations.class,
            description = "The job must be done within this long from now, over all attempts, or it ends TIMED_OUT.")
    Duration deadline;

    @Option(
            names = "--at",
            paramLabel = "TIME",
            converter = StartTimes.class,
            description = "Start no earlier than this time: ISO-8601, e.g. 2030-01-01T09:00:00Z, or 2030-01-01T09:00"
                    + " in local time. The job waits PENDING until then.")
    Instant at;

    @Option(
            names = "--delay",
            paramLabel = "DUR",
            converter = Durations.class,
            description = "Start no earlier than this long from now, e.g. 30s, 10m, 2h.")
    Duration delay;

    @Option(names = "--max-attempts", paramLabel = "N", description = "How many times to try (default 3).")
    Integer maxAttempts;

    @Option(names = "--scope", paramLabel = "SCOPE", description = "Where it may run: ${COMPLETION-CANDIDATES}.")
    Scope scope;

    @Option(
            names = "--placement",
            paramLabel = "POLICY",
            converter = PlacementConverter.class,
            description = "How a node is chosen: least-loaded (default), first-healthy or bin-pack.")
    PlacementPolicy placement;

    @Option(names = "--idempotency-key", paramLabel = "KEY", description = "Submit at most once per key.")
    String idempotencyKey;

    @Option(
            names = "--verify",
            paramLabel = "K/Q",
            description =
                    "Run on K distinct nodes; accept the output Q of them agree on (e.g. 3/2; wasm, echo, plugins).")
    String verify;

    @Option(names = "--wait", description = "Wait until the job finishes; exit code tells how it ended.")
    boolean await;

    @Option(names = "--follow", description = "Stream the job's output to stdout while waiting (implies --wait).")
    boolean follow;

    @Option(
            names = "--wait-timeout",
            paramLabel = "DUR",
            converter = Durations.class,
            description = "Stop waiting after this long (exit code 4); the job goes on. Default: no limit.")
    Duration waitTimeout;

    @Mixin
    OutputOption output;

    @Override
    protected int run(MeshClient client) {
        moduleCid = module == null ? null : ModuleUpload.put(client, type, module);
        Submission submission = client.submitWithWarnings(spec(), idempotencyKey);
        Job job = submission.job();
        submission.warnings().forEach(warning -> err().println("warning: " + warning));
        err().flush();
        if (!await && !follow) {
            if (output.json()) {
                printJson(job);
            } else {
                out().println(job.id());
                out().flush();
            }
            return 0;
        }
        return waitFor(client, job);
    }

    private int waitFor(MeshClient client, Job job) {
        ProgressBar bar = new ProgressBar(err(), interactive());
        ChunkWriter stdout = new ChunkWriter(out());
        ChunkWriter stderr = new ChunkWriter(err());
        Job done;
        try {
            done = client.await(job.id(), waitTimeout == null ? Duration.ofDays(3650) : waitTimeout, event -> {
                if (event.kind() == JobEvent.Kind.PROGRESS && event.progress() != null) {
                    bar.update(event.progress(), event.log());
                } else if (follow && event.kind() == JobEvent.Kind.CHUNK) {
                    bar.clear();
                    ("stderr".equals(event.stream()) ? stderr : stdout).write(Chunks.bytes(event));
                }
            });
        } catch (AwaitTimeoutException e) {
            bar.clear();
            err().println("error: " + WaitTimeouts.message(job.id(), waitTimeout, e.lastSeen()) + " (" + e.code()
                    + ")");
            err().flush();
            return WAIT_TIMED_OUT;
        } finally {
            stdout.finish();
            stderr.finish();
        }
        bar.clear();
        report(done);
        return exitCode(done.status());
    }

    private void report(Job done) {
        if (output.json()) {
            printJson(done);
            return;
        }
        if (done.status() == JobStatus.COMPLETED
                && !follow
                && done.result() != null
                && !done.result().isNull()) {
            JsonNode result = done.result();
            out().println(result.isTextual() ? result.asText() : result.toPrettyString());
            out().flush();
        }
        if (done.status() != JobStatus.COMPLETED) {
            String why = done.error() == null
                    ? ""
                    : ": " + done.error().message() + " (" + done.error().code() + ")";
            err().println("job " + done.id() + " " + done.status() + why);
            err().flush();
        }
    }

    /** The process exit code for a job that ended in {@code status}. */
    public static int exitCode(JobStatus status) {
        return switch (status) {
            case COMPLETED -> 0;
            case CANCELLED -> 2;
            case TIMED_OUT -> 3;
            default -> 1;
        };
    }

    JobSpec spec() {
        if (at != null && delay != null) {
            throw new UserError("invalid_argument", "give --at or --delay, not both");
        }
        Requirements requirements = new Requirements(capabilities, null, null, null);
        RetryPolicy retry = maxAttempts == null ? null : new RetryPolicy(maxAttempts, null);
        Long timeoutMs = timeout == null ? null : timeout.toMillis();
        return new JobSpec(
                type,
                payload(),
                scope,
                priority,
                deadline == null ? null : java.time.Instant.now().plus(deadline),
                timeoutMs,
                requirements,
                placement == null ? null : new Placement(placement, null, null),
                retry,
                null,
                null,
                null,
                null,
                delay == null ? at : Instant.now().plus(delay),
                verify(),
                null);
    }

    /** {@code --verify K/Q} as the spec's verify section; the coordinator checks the numbers and the type. */
    private org.planetarymesh.core.job.Verify verify() {
        if (verify == null) {
            return null;
        }
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("(\\d{1,2})/(\\d{1,2})").matcher(verify.strip());
        int k = m.matches() ? Integer.parseInt(m.group(1)) : -1;
        int q = m.matches() ? Integer.parseInt(m.group(2)) : -1;
        if (k < 2 || k > 7 || q < 1 || q > k) {
            throw new UserError(
                    "invalid_argument",
                    "--verify takes K/Q: K replicas (2..7) on distinct nodes, Q (1..K) of them must agree, e.g. 3/2"
                            + " (got '" + verify + "')");
        }
        return new org.planetarymesh.core.job.Verify(k, q);
    }

    /** Reads a policy's wire name; {@code auction} is refused, as the scheduler has none yet. */
    static final class PlacementConverter implements picocli.CommandLine.ITypeConverter<PlacementPolicy> {
        @Override
        public PlacementPolicy convert(String value) {
            return PlacementPolicy.fromWire(value)
                    .filter(p -> p != PlacementPolicy.AUCTION)
                    .orElseThrow(() -> new picocli.CommandLine.TypeConversionException(
                            "must be least-loaded, first-healthy or bin-pack (got '" + value + "')"));
        }
    }

    private String moduleCid;

    private JsonNode payload() {
        JsonNode read = PayloadJson.read(payload);
        return moduleCid == null ? read : ModuleUpload.withModule(read, moduleCid);
    }

    private static boolean interactive() {
        var console = System.console();
        return console != null && console.isTerminal();
    }
}
