package org.planetarymesh.cli;

import picocli.CommandLine.Option;

/** {@code --output text|json} for read commands: a table for people, or the API's JSON for scripts. */
public final class OutputOption {

    /** The formats a read command can print. */
    public enum Format {
        TEXT,
        JSON
    }

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FORMAT",
            defaultValue = "text",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format = Format.TEXT;

    public boolean json() {
        return format == Format.JSON;
    }
}
