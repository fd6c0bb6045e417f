package org.planetarymesh.cli.receipt;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.planetarymesh.cli.DebugOption;
import org.planetarymesh.cli.UserError;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.core.receipt.ReceiptLog;
import org.planetarymesh.core.receipt.ReceiptLogVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mesh receipt verify-log FILE}: checks an export of the receipt log offline and names each broken entry. */
@Command(
        name = "verify-log",
        description = "Verify an export of the receipt log (GET /v1/receipts) offline: the hash chain, every receipt"
                + " and the coordinator's signed checkpoint; names each edited, removed, inserted or moved entry."
                + " Exit 0 valid, 1 invalid.")
public final class ReceiptVerifyLog implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "The export (JSON).")
    Path file;

    @Mixin
    DebugOption debug;

    @Spec
    CommandSpec command;

    @Override
    public Integer call() {
        ReceiptLog.Export export;
        try {
            export = Json.mapper().treeToValue(ReceiptVerify.read(file), ReceiptLog.Export.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UserError(
                    "invalid_argument", file + " is not a receipt log export: " + e.getOriginalMessage(), e);
        }
        ReceiptLogVerifier.Report report = ReceiptLogVerifier.verify(export);
        PrintWriter out = command.commandLine().getOut();
        if (!report.valid()) {
            report.problems().forEach(problem -> out.println("  " + problem));
            out.flush();
            throw new UserError(
                    "invalid_log", file + " is INVALID: " + report.problems().getFirst());
        }
        var checkpoint = export.checkpoint();
        out.println(report.entries() + " entries chain to the head seq " + checkpoint.seq() + " signed by "
                + checkpoint.coordinator() + " at " + checkpoint.signedAt());
        out.println("valid");
        out.flush();
        return 0;
    }
}
