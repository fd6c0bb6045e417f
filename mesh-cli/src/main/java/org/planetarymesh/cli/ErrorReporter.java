package org.planetarymesh.cli;

import io.javalin.util.JavalinBindException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.util.stream.Collectors;
import org.planetarymesh.client.ErrorDetail;
import org.planetarymesh.client.MeshClientException;
import org.planetarymesh.client.MeshUnavailableException;
import org.planetarymesh.client.UnauthorizedException;
import org.planetarymesh.coordinator.leadership.SqliteOwnership;
import org.planetarymesh.core.datadir.DataDirLock;
import org.planetarymesh.store.StoreException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns any exception a command throws into one line on stderr, {@code error: <message> (<code>)}, and exit code 1.
 * The stack trace is printed too only when the failing command has {@code --debug} set, because a newcomer should see
 * what went wrong, not where in our code.
 */
public final class ErrorReporter implements IExecutionExceptionHandler {

    /** Exit code of any failure that is not a usage error. */
    public static final int FAILURE = 1;

    @Override
    public int handleExecutionException(Exception ex, CommandLine commandLine, ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        if (debugEnabled(commandLine)) {
            ex.printStackTrace(err);
        }
        err.println("error: " + describe(ex, commandLine));
        err.flush();
        return FAILURE;
    }

    /** The one-line description of {@code ex}, with its code in parentheses when it has one. */
    static String describe(Throwable ex, CommandLine commandLine) {
        if (cause(ex, JavalinBindException.class) instanceof JavalinBindException e) {
            return withCode(
                    e.getMessage() + " It may be another `mesh up` or coordinator: stop it, or choose another port with"
                            + " --port",
                    "port_in_use");
        }
        if (cause(ex, StoreException.class) instanceof StoreException e
                && e.getMessage().startsWith("could not open database")) {
            return withCode(
                    e.getMessage() + " — check that the database server is running and that --database-url names its"
                            + " host, port, database, user and password",
                    "database_unavailable");
        }
        return switch (ex) {
            case UnauthorizedException e
            when connection(commandLine) != null && !connection(commandLine).hasToken() ->
                withCode(noToken(connection(commandLine)), e.code());
            case MeshClientException e -> withCode(e.getMessage() + details(e) + hint(e), e.code());
            case UserError e -> withCode(e.getMessage(), e.code());
            case DataDirLock.InUseException e -> withCode(e.getMessage(), "data_dir_in_use");
            case SqliteOwnership.SecondCoordinatorException e -> withCode(e.getMessage(), "database_in_use");
            case IllegalArgumentException e -> withCode(e.getMessage(), "invalid_argument");
            default -> withCode(ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage(), "internal");
        };
    }

    /** The details the message does not already say (the server's message often is its details, joined). */
    private static String details(MeshClientException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        String extra = e.details().stream()
                .filter(detail -> !message.contains(detail.toString())
                        && !message.contains(detail.field() + " " + detail.message()))
                .map(ErrorDetail::toString)
                .collect(Collectors.joining("; "));
        return extra.isEmpty() ? "" : ": " + extra;
    }

    /** Said instead of the server's 401 when the CLI found no token to send: what was tried, and the ways to give one. */
    private static String noToken(ConnectionOptions connection) {
        return "no API token to send to " + connection.coordinator() + ". Pass --token TOKEN or set MESH_TOKEN;"
                + " for a local `mesh up`, run from the directory holding its data dir, or point --data-dir /"
                + " MESH_DATA_DIR at it (looked for "
                + connection.tokenFile().toAbsolutePath().normalize() + ")";
    }

    private static String hint(MeshClientException e) {
        if (e instanceof MeshUnavailableException && causedBy(e, ConnectException.class)) {
            return " — start one with `./mesh up`, or point --coordinator (or MESH_COORDINATOR) at yours";
        }
        return "";
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        return cause(e, type) != null;
    }

    /** The first throwable of {@code type} in {@code e}'s cause chain, or null. */
    private static Throwable cause(Throwable e, Class<? extends Throwable> type) {
        // Bounded: cause chains are finite and short; stop at depth 10 regardless.
        Throwable t = e;
        for (int i = 0; i < 10 && t != null; i++, t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return t;
            }
        }
        return null;
    }

    /** The connection options of the failing command, or null for commands that do not talk to a coordinator. */
    private static ConnectionOptions connection(CommandLine commandLine) {
        for (Object mixin : commandLine.getMixins().values()) {
            if (mixin instanceof ConnectionOptions options) {
                return options;
            }
        }
        return null;
    }

    private static String withCode(String message, String code) {
        String oneLine = message.replaceAll("\\s*\\R\\s*", " ").strip();
        return code == null || code.isEmpty() ? oneLine : oneLine + " (" + code + ")";
    }

    private static boolean debugEnabled(CommandLine commandLine) {
        for (CommandLine c = commandLine; c != null; c = c.getParent()) {
            for (Object mixin : c.getMixins().values()) {
                if (mixin instanceof DebugOption debug && debug.enabled()) {
                    return true;
                }
            }
        }
        return false;
    }
}
