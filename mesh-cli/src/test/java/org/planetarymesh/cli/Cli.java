package org.planetarymesh.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs {@code mesh} in-process with captured stdout and stderr, as a user's shell would see them. */
record Cli(int exitCode, String out, String err) {

    static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine mesh = MeshCommand.newCommandLine();
        mesh.setOut(new PrintWriter(out, true));
        mesh.setErr(new PrintWriter(err, true));
        int code = mesh.execute(args);
        return new Cli(code, out.toString(), err.toString());
    }
}
