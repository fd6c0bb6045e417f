package org.planetarymesh.cli;

import org.planetarymesh.client.MeshClient;
import org.planetarymesh.core.job.Job;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code mesh cancel ID}: cancels a job that has not finished. */
@Command(name = "cancel", description = "Cancel a job that has not finished yet.")
public final class CancelCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "ID", description = "The job id.")
    String id;

    @Mixin
    OutputOption output;

    @Override
    protected int run(MeshClient client) {
        Job job = client.cancel(id);
        if (output.json()) {
            printJson(job);
        } else {
            out().println("job " + job.id() + " " + job.status());
            out().flush();
        }
        return 0;
    }
}
