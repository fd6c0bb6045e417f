package org.planetarymesh.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code mesh} command: the entry point of the runnable jar, dispatching to one subcommand per task. */
@Command(
        name = "mesh",
        mixinStandardHelpOptions = true,
        // Inherited so that `mesh submit --help` shows the usage instead of failing on the missing TYPE.
        scope = CommandLine.ScopeType.INHERIT,
        versionProvider = VersionProvider.class,
        description = "Planetary Mesh: submit jobs once, run them anywhere, watch them stream back.",
        subcommands = {
            SubmitCommand.class,
            JobsCommand.class,
            JobCommand.class,
            LogsCommand.class,
            CancelCommand.class,
            NodesCommand.class,
            CompletionCommand.class,
            UpCommand.class,
            CoordinatorCommand.class,
            AgentCommand.class,
            TokenCommand.class,
            TrainCommand.class,
            CommandLine.HelpCommand.class
        })
public final class MeshCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(newCommandLine().execute(args));
    }

    /**
     * The configured command line: one-line errors through {@link ErrorReporter}, case-insensitive enum values
     * ({@code --status running}). Tests call this and set their own writers.
     */
    public static CommandLine newCommandLine() {
        return new CommandLine(new MeshCommand())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(new ErrorReporter());
    }

    @Override
    public void run() {
        // `mesh` alone: show what it can do rather than nothing.
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
