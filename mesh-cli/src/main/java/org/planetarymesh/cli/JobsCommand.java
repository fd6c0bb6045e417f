package org.planetarymesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import org.planetarymesh.client.JobQuery;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.job.Scope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mesh jobs}: the newest jobs as a table, optionally filtered. */
@Command(name = "jobs", description = "List jobs, newest first.")
public final class JobsCommand extends ClientCommand {

    @Option(
            names = "--status",
            paramLabel = "STATUS",
            description = "Only jobs in this status: ${COMPLETION-CANDIDATES}.")
    JobStatus status;

    @Option(names = "--type", paramLabel = "TYPE", description = "Only jobs of this type.")
    String type;

    @Option(names = "--node", paramLabel = "NODE", description = "Only jobs placed on this node id.")
    String node;

    @Option(names = "--scope", paramLabel = "SCOPE", description = "Only jobs of this scope: ${COMPLETION-CANDIDATES}.")
    Scope scope;

    @Option(
            names = "--limit",
            paramLabel = "N",
            defaultValue = "20",
            description = "At most N jobs, 1..1000 (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(
            names = "--cursor",
            paramLabel = "CURSOR",
            description = "Continue after a previous page (see --output json).")
    String cursor;

    @Mixin
    OutputOption output;

    @Override
    protected int run(MeshClient client) {
        JobQuery query = JobQuery.all()
                .withStatus(status)
                .withType(type)
                .withNode(node)
                .withScope(scope)
                .withLimit(limit)
                .withCursor(cursor);
        if (output.json()) {
            JsonNode raw = client.getJson("/v1/jobs" + query.toQueryString());
            printJson(raw);
            return 0;
        }
        List<Job> jobs = client.list(query).jobs();
        if (jobs.isEmpty()) {
            out().println("No jobs.");
        } else {
            out().print(table(jobs, Instant.now()));
        }
        out().flush();
        return 0;
    }

    /** The jobs table: ID, TYPE, STATUS, NODE, ATTEMPT, AGE. */
    static String table(List<Job> jobs, Instant now) {
        Table table = new Table("ID", "TYPE", "STATUS", "NODE", "ATTEMPT", "AGE");
        for (Job job : jobs) {
            table.row(
                    job.id(),
                    job.spec().type(),
                    Cells.status(job, now),
                    Cells.node(job.nodeId()),
                    job.attempt() + "/" + job.spec().retry().maxAttempts(),
                    Cells.age(job.createdAt(), now));
        }
        return table.render();
    }
}
