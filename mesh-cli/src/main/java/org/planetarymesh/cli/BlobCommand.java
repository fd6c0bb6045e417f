package org.planetarymesh.cli;

import java.nio.file.Path;
import org.planetarymesh.client.MeshClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code mesh blob put FILE}: stores a file in the coordinator's blob store and prints its CID. */
@Command(
        name = "blob",
        description = "Content-addressed blobs (WebAssembly modules).",
        subcommands = {BlobCommand.Put.class})
public final class BlobCommand implements java.util.concurrent.Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 2;
    }

    /** {@code mesh blob put FILE}. */
    @Command(name = "put", description = "Store a file; prints its CID (bafkrei...), by which a wasm job names it.")
    static final class Put extends ClientCommand {
        @Parameters(index = "0", paramLabel = "FILE", description = "The file to store.")
        Path file;

        @Override
        protected int run(MeshClient client) {
            out().println(client.putBlob(ModuleUpload.read(file)));
            out().flush();
            return 0;
        }
    }
}
