package org.planetarymesh.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.planetarymesh.client.BulkRetry;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.core.job.Job;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mesh retry ID} or {@code mesh retry --status failed --type T}: runs finished jobs again as new attempts. */
@Command(
        name = "retry",
        description = "Retry a FAILED, TIMED_OUT or CANCELLED job (the same job, a new attempt), or many by filter.")
public final class RetryCommand extends ClientCommand {

    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "ID",
            description = "The job id (or filter with the options).")
    String id;

    @Option(
            names = "--status",
            paramLabel = "STATUS",
            description = "Retry jobs in this status: failed, timed_out or cancelled (default: all three).")
    String status;

    @Option(names = "--type", paramLabel = "TYPE", description = "Retry only jobs of this type.")
    String type;

    @Option(
            names = "--since",
            paramLabel = "DUR",
            converter = Durations.class,
            description = "Retry only jobs that finished within this long, e.g. 30m, 2h, 1d.")
    Duration since;

    @Option(
            names = "--limit",
            paramLabel = "N",
            description = "Retry at most N jobs (1-1000, default 100); the answer says if more matched.")
    Integer limit;

    @Mixin
    OutputOption output;

    @Override
    protected int run(MeshClient client) {
        boolean filtered = status != null || type != null || since != null || limit != null;
        if (id != null && filtered) {
            throw new UserError(
                    "invalid_argument",
                    "give a job ID or filter options (--status, --type, --since, --limit), not both");
        }
        if (id == null && !filtered) {
            throw new UserError(
                    "invalid_argument", "give a job ID, or say which jobs with --status, --type, --since or --limit");
        }
        if (id != null) {
            Job job = client.retry(id);
            if (output.json()) {
                printJson(job);
            } else {
                out().println("job " + job.id() + " " + job.status() + " (attempt " + (job.attempt() + 1) + " next)");
                out().flush();
            }
            return 0;
        }
        Instant from = since == null ? null : Instant.now().minus(since);
        BulkRetry answer = client.retryMany(status, type, from, limit);
        if (output.json()) {
            printJson(answer);
            return 0;
        }
        answer.retried().forEach(retried -> out().println("job " + retried + " QUEUED"));
        for (Map<String, String> skipped : answer.skipped()) {
            out().println("job " + skipped.get("id") + " skipped: " + skipped.get("reason"));
        }
        out().println(answer.count() + " retried"
                + (answer.more() ? "; more jobs matched: run the command again for the next ones" : ""));
        out().flush();
        return 0;
    }
}
