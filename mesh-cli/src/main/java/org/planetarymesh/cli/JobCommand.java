package org.planetarymesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.core.job.Job;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code mesh job ID}: one job in detail, with why it was placed where it was and each attempt. */
@Command(name = "job", description = "Show one job: state, routing reasoning and attempts.")
public final class JobCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "ID", description = "The job id.")
    String id;

    @Mixin
    OutputOption output;

    @Override
    protected int run(MeshClient client) {
        if (output.json()) {
            printJson(client.getJson("/v1/jobs/" + segment(id)));
            return 0;
        }
        Job job = client.get(id);
        out().print(JobDetail.render(job, Instant.now()));
        if (job.spec().verify() != null) {
            JsonNode full = client.getJson("/v1/jobs/" + segment(id));
            out().print(ReplicaDetail.render(job.spec().verify(), full.path("replicas")));
        }
        out().flush();
        return 0;
    }
}
