package org.planetarymesh.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code mesh completion}: prints a bash (and zsh) completion script for {@code mesh}, registered both for
 * {@code mesh} on the PATH and for {@code ./mesh} typed in a checkout, as the README runs it.
 */
@Command(name = "completion", description = "Print a bash/zsh completion script. Use: source <(./mesh completion)")
public final class CompletionCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var root = spec.root().commandLine();
        String name = root.getCommandName();
        root.getOut().print(AutoComplete.bash(name, root));
        // bash matches a compspec against the command word as typed, so ./mesh needs a compspec of its own.
        root.getOut().println("complete -F _complete_" + name + " -o default ./" + name);
        root.getOut().flush();
        return 0;
    }
}
