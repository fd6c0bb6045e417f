package org.planetarymesh.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.core.json.Json;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The base of commands that talk to a coordinator through the SDK: connection and debug options, the writers picocli
 * was given (so tests can capture them), and JSON printing. Subclasses implement {@link #run(MeshClient)}.
 */
public abstract class ClientCommand implements Callable<Integer> {

    private static final ObjectWriter PRETTY = Json.mapper().writerWithDefaultPrettyPrinter();

    @Mixin
    ConnectionOptions connection;

    @Mixin
    DebugOption debug;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() {
        try (MeshClient client = connection.connect()) {
            return run(client);
        }
    }

    /** Does the command's work; returns the process exit code. */
    protected abstract int run(MeshClient client);

    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Prints {@code value} as indented JSON on stdout. */
    protected void printJson(Object value) {
        try {
            out().println(PRETTY.writeValueAsString(value));
            out().flush();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot print JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** {@code id} made safe as one URL path segment. */
    protected static String segment(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
