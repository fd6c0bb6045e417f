package org.planetarymesh.cli.receipt;

import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.planetarymesh.cli.ClientCommand;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.core.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mesh receipt get JOB [--save DIR]}: a job's signed receipt, and optionally the files to check it offline. */
@Command(
        name = "get",
        description = "Print a job's signed execution receipt; --save DIR also writes receipt.json, spec.json and"
                + " output.json, for 'mesh receipt verify DIR/receipt.json --spec DIR/spec.json --output"
                + " DIR/output.json' anywhere, without a coordinator.")
public final class ReceiptGet extends ClientCommand {

    private static final ObjectWriter PRETTY = Json.mapper().writerWithDefaultPrettyPrinter();

    @Parameters(index = "0", paramLabel = "JOB", description = "The job id.")
    String id;

    @Option(names = "--save", paramLabel = "DIR", description = "Write receipt.json, spec.json and output.json here.")
    Path save;

    @Override
    protected int run(MeshClient client) {
        JobReceiptFiles files = JobReceiptFiles.fetch(client, id, segment(id));
        if (save != null) {
            try {
                Files.createDirectories(save);
                PRETTY.writeValue(
                        save.resolve("receipt.json").toFile(), files.answer().get("receipt"));
                PRETTY.writeValue(save.resolve("spec.json").toFile(), files.spec());
                PRETTY.writeValue(save.resolve("output.json").toFile(), files.output());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write to " + save + ": " + e.getMessage(), e);
            }
            err().println("saved receipt.json, spec.json and output.json in " + save);
            err().flush();
        }
        printJson(files.answer());
        return 0;
    }
}
