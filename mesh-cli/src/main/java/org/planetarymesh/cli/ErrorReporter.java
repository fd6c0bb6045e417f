package org.planetarymesh.cli;

import java.io.PrintWriter;
import java.util.stream.Collectors;
import org.planetarymesh.client.ErrorDetail;
import org.planetarymesh.client.MeshClientException;
import org.planetarymesh.client.UnauthorizedException;
import org.planetarymesh.core.datadir.DataDirLock;
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
        return switch (ex) {
            case MeshClientException e -> withCode(e.getMessage() + details(e) + hint(e, commandLine), e.code());
            case UserError e -> withCode(e.getMessage(), e.code());
            case DataDirLock.InUseException e -> withCode(e.getMessage(), "data_dir_in_use");
            case IllegalArgumentException e -> withCode(e.getMessage(), "invalid_argument");
            default -> withCode(ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage(), "internal");
        };
    }

    private static String details(MeshClientException e) {
        if (e.details().isEmpty()) {
            return "";
        }
        return ": " + e.details().stream().map(ErrorDetail::toString).collect(Collectors.joining("; "));
    }

    private static String hint(MeshClientException e, CommandLine commandLine) {
        if (e instanceof UnauthorizedException
                && commandLine.getCommand() instanceof ClientCommand command
                && !command.connection.hasToken()) {
            return " — no token given: pass --token, set MESH_TOKEN, or run where `mesh up` keeps ./.mesh/admin.token";
        }
        return "";
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
