package org.planetarymesh.cli.receipt;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.planetarymesh.cli.ConnectionOptions;
import org.planetarymesh.cli.DebugOption;
import org.planetarymesh.cli.UserError;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.core.receipt.Canonical;
import org.planetarymesh.core.receipt.ReceiptVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mesh receipt verify FILE|JOB [--spec FILE] [--output FILE]}: checks a receipt. A file is checked offline, with
 * nothing but the file: its CID, the executor's did:key, the inclusion proof and the batch signature; with
 * {@code --spec} and {@code --output} also that it names those documents. A job id is fetched from the coordinator
 * with its spec and output, and checked the same way.
 */
@Command(
        name = "verify",
        description = "Verify a receipt: offline from a file (signature, did:key, CIDs; --spec/--output check the"
                + " digests), or a job's, fetched with its spec and output. Exit 0 valid, 1 invalid.")
public final class ReceiptVerify implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE|JOB", description = "A receipt file (JSON) or a job id.")
    String target;

    @Option(names = "--spec", paramLabel = "FILE", description = "The job's spec (JSON) the receipt must name.")
    Path spec;

    @Option(names = "--output", paramLabel = "FILE", description = "The output document the receipt must name.")
    Path output;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    DebugOption debug;

    @Spec
    CommandSpec command;

    @Override
    public Integer call() {
        Path file = Path.of(target);
        JsonNode receipt;
        JsonNode specDoc = spec == null ? null : read(spec);
        JsonNode outputDoc = output == null ? null : read(output);
        String source;
        if (Files.isRegularFile(file)) {
            receipt = read(file);
            source = file.toString();
        } else {
            try (MeshClient client = connection.connect()) {
                JobReceiptFiles files = JobReceiptFiles.fetch(
                        client,
                        target,
                        URLEncoder.encode(target, StandardCharsets.UTF_8).replace("+", "%20"));
                receipt = files.answer();
                specDoc = specDoc == null ? files.spec() : specDoc;
                outputDoc = outputDoc == null ? files.output() : outputDoc;
                source = "job " + target + " at " + connection.coordinator();
            }
        }
        // Accept the API's answer ({"receipt": signed, ...}) as well as the signed receipt itself.
        if (!receipt.has("batch") && receipt.path("receipt").has("batch")) {
            receipt = receipt.get("receipt");
        }
        ReceiptVerifier.Verdict verdict = ReceiptVerifier.verifyOnce(receipt);
        if (!verdict.valid()) {
            throw new UserError("invalid_receipt", "receipt from " + source + " is INVALID: " + verdict.problem());
        }
        PrintWriter out = command.commandLine().getOut();
        var r = verdict.receipt();
        out.println("receipt " + verdict.cid());
        out.println("  job " + r.jobId() + " attempt " + r.attempt() + ", " + r.status() + " " + r.finishedAt());
        out.println("  ok  cid is the CID of the receipt's RFC 8785 form");
        out.println("  ok  signed by " + r.executor() + " (batch root "
                + receipt.path("batch").path("root").asText()
                + ", leaf " + receipt.path("batch").path("index").asInt() + " of "
                + receipt.path("batch").path("count").asInt() + ")");
        check(out, "spec_cid", r.specCid(), specDoc, spec == null ? "the job's spec" : spec.toString());
        check(out, "output_cid", r.outputCid(), outputDoc, output == null ? "the job's output" : output.toString());
        out.println("valid");
        out.flush();
        return 0;
    }

    private static void check(PrintWriter out, String field, String claimed, JsonNode document, String what) {
        if (document == null) {
            out.println("  --  " + field + " " + claimed + " not checked (give its document to check it)");
            return;
        }
        String actual = Canonical.cid(document);
        if (!actual.equals(claimed)) {
            throw new UserError(
                    "invalid_receipt",
                    "receipt is INVALID: its " + field + " " + claimed + " is not " + what + " (" + actual + ")");
        }
        out.println("  ok  " + field + " is the CID of " + what);
    }

    static JsonNode read(Path file) {
        try {
            return Json.strictReader().readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UserError("invalid_argument", file + " is not a readable JSON document: " + e.getMessage(), e);
        }
    }
}
