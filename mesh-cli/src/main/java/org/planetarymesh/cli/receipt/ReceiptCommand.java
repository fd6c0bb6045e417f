package org.planetarymesh.cli.receipt;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code mesh receipt get|verify|verify-log}: execution receipts and the receipt log. */
@Command(
        name = "receipt",
        description = "Fetch and verify execution receipts and the receipt log (verify works offline).",
        subcommands = {ReceiptGet.class, ReceiptVerify.class, ReceiptVerifyLog.class})
public final class ReceiptCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 2;
    }
}
