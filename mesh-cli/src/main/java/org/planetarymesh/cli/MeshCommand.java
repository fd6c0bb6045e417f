package org.planetarymesh.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code mesh} command: the entry point of the runnable jar, dispatching to one subcommand per task. A run that
 * names its subcommand registers only that one, so a CLI round trip builds no model of (and links no classes for)
 * the coordinator or agent commands it does not run; {@code mesh}, {@code mesh --help} and {@code mesh help}
 * register them all.
 */
@Command(
        name = "mesh",
        mixinStandardHelpOptions = true,
        // Inherited so that `mesh submit --help` shows the usage instead of failing on the missing TYPE.
        scope = CommandLine.ScopeType.INHERIT,
        versionProvider = VersionProvider.class,
        description = "Planetary Mesh: submit jobs once, run them anywhere, watch them stream back.",
        // The benchmarks live in their own jar, which the ./mesh launcher runs; the product jar does not carry them.
        footer = {"", "Benchmarks: ./mesh bench throughput|latency|many-agents|backlog (see BENCHMARKS.md)."})
public final class MeshCommand implements Runnable {

    /** Every subcommand, in the order {@code mesh --help} lists them. */
    private static final Map<String, Class<?>> SUBCOMMANDS = new LinkedHashMap<>();

    static {
        SUBCOMMANDS.put("submit", SubmitCommand.class);
        SUBCOMMANDS.put("jobs", JobsCommand.class);
        SUBCOMMANDS.put("job", JobCommand.class);
        SUBCOMMANDS.put("logs", LogsCommand.class);
        SUBCOMMANDS.put("cancel", CancelCommand.class);
        SUBCOMMANDS.put("retry", RetryCommand.class);
        SUBCOMMANDS.put("nodes", NodesCommand.class);
        SUBCOMMANDS.put("node", NodeCommand.class);
        SUBCOMMANDS.put("completion", CompletionCommand.class);
        SUBCOMMANDS.put("up", UpCommand.class);
        SUBCOMMANDS.put("coordinator", CoordinatorCommand.class);
        SUBCOMMANDS.put("agent", AgentCommand.class);
        SUBCOMMANDS.put("token", TokenCommand.class);
        SUBCOMMANDS.put("schedule", ScheduleCommand.class);
        SUBCOMMANDS.put("receipt", org.planetarymesh.cli.receipt.ReceiptCommand.class);
        SUBCOMMANDS.put("train", TrainCommand.class);
        SUBCOMMANDS.put("blob", BlobCommand.class);
        SUBCOMMANDS.put("balance", org.planetarymesh.cli.market.BalanceCommand.class);
        SUBCOMMANDS.put("ledger", org.planetarymesh.cli.market.LedgerCommand.class);
        SUBCOMMANDS.put("mint", org.planetarymesh.cli.market.MintCommand.class);
        SUBCOMMANDS.put("offerings", org.planetarymesh.cli.market.OfferingsCommand.class);
        SUBCOMMANDS.put("buy", org.planetarymesh.cli.market.BuyCommand.class);
        SUBCOMMANDS.put("purchases", org.planetarymesh.cli.market.PurchasesCommand.class);
        SUBCOMMANDS.put("coordinators", CoordinatorsCommand.class);
        SUBCOMMANDS.put("help", CommandLine.HelpCommand.class);
    }

    /** Subcommands that describe the others, so need them all registered. */
    private static final List<String> NEED_ALL = List.of("help", "completion");

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(newCommandLine(args).execute(args));
    }

    /**
     * The configured command line with every subcommand: one-line errors through {@link ErrorReporter},
     * case-insensitive enum values ({@code --status running}). Tests call this and set their own writers.
     */
    public static CommandLine newCommandLine() {
        return configured(SUBCOMMANDS.keySet());
    }

    /** As {@link #newCommandLine()}, with only the subcommand {@code args} names when it names one. */
    static CommandLine newCommandLine(String[] args) {
        if (args.length > 0 && SUBCOMMANDS.containsKey(args[0]) && !NEED_ALL.contains(args[0])) {
            return configured(List.of(args[0]));
        }
        return newCommandLine();
    }

    private static CommandLine configured(Iterable<String> names) {
        CommandLine mesh = new CommandLine(new MeshCommand());
        for (String name : names) {
            mesh.addSubcommand(name, SUBCOMMANDS.get(name));
        }
        // Set after the subcommands are added: these setters apply to the subcommands present.
        return mesh.setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(new ErrorReporter())
                .setParameterExceptionHandler(MeshCommand::usageError);
    }

    /**
     * A usage mistake is one line and a pointer to the help, not the whole usage: printed in full, the one line that
     * says what is wrong scrolls off the screen.
     */
    private static int usageError(CommandLine.ParameterException ex, String[] args) {
        CommandLine command = ex.getCommandLine();
        java.io.PrintWriter err = command.getErr();
        err.println("error: " + ex.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("Run '" + command.getCommandSpec().qualifiedName() + " --help' for its options.");
        err.flush();
        return command.getCommandSpec().exitCodeOnInvalidInput();
    }

    @Override
    public void run() {
        // `mesh` alone: show what it can do rather than nothing.
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
