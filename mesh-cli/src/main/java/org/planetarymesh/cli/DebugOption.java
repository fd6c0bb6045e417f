package org.planetarymesh.cli;

import picocli.CommandLine.Option;

/** The {@code --debug} switch: stack traces on errors. Mix it into any command; the error handler looks for it. */
public final class DebugOption {

    @Option(names = "--debug", description = "Print stack traces of errors.")
    boolean debug;

    public boolean enabled() {
        return debug;
    }
}
