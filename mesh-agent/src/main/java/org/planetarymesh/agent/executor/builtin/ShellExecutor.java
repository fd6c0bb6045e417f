package org.planetarymesh.agent.executor.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.executor.ErrorCode;
import org.planetarymesh.executor.ExecutionContext;
import org.planetarymesh.executor.ExecutionRequest;
import org.planetarymesh.executor.ExecutionResult;
import org.planetarymesh.executor.Executor;
import org.planetarymesh.executor.ExecutorConfig;
import org.planetarymesh.executor.ExecutorException;

/**
 * {@code shell}: runs {@code {"command": ["ls", "-l"], "env": {...}, "cwd": "..."}} with {@link ProcessBuilder},
 * never through a shell, only if {@code command[0]} is allow-listed (an entry without {@code /} matches that exact
 * name looked up on PATH, an entry with {@code /} that exact path, {@code *} anything). stdout and stderr are streamed
 * as chunks; a non-zero exit fails with the tail of stderr; a stop kills the whole process tree.
 */
public final class ShellExecutor implements Executor {
    private static final int TAIL_BYTES = 4096;

    private List<String> allowed = List.of();
    private ExecutorConfig config = ExecutorConfig.of("shell", Map.of());

    /** Reads {@code allow}: the commands it may run, from {@code --allow-shell}; empty (the default) turns shell off. */
    @Override
    public void configure(ExecutorConfig config) {
        config.allowOnly("allow");
        this.config = config;
        this.allowed = config.list("allow");
    }

    @Override
    public String name() {
        return "shell";
    }

    @Override
    public void check(JsonNode payload) throws ExecutorException {
        List<String> command = command(payload);
        if (allowed.isEmpty()) {
            throw ExecutorException.unsupported("shell jobs are off on this agent; allow that command by restarting it"
                    + " with " + config.howToSet("allow", command.getFirst()));
        }
        if (!allowed.contains("*") && !allowed.contains(command.getFirst())) {
            throw ExecutorException.unsupported("command '" + command.getFirst()
                    + "' is not allow-listed on this agent (allowed: " + allowed + "); add it by restarting it with "
                    + config.howToSet("allow", String.join(",", allowed) + "," + command.getFirst()));
        }
        JsonNode env = payload.get("env");
        if (env != null && !env.isObject()) {
            throw ExecutorException.invalidPayload("shell: 'env' must be an object of strings");
        }
        JsonNode cwd = payload.get("cwd");
        if (cwd != null && !cwd.isTextual()) {
            throw ExecutorException.invalidPayload("shell: 'cwd' must be a string path");
        }
    }

    private static List<String> command(JsonNode payload) throws ExecutorException {
        JsonNode command = payload == null ? null : payload.get("command");
        if (command == null || !command.isArray() || command.isEmpty()) {
            throw ExecutorException.invalidPayload(
                    "shell needs {\"command\": [\"program\", \"arg\", ...]}: a non-empty array, run without a shell");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode part : command) {
            if (!part.isTextual()) {
                throw ExecutorException.invalidPayload("shell: every element of 'command' must be a string");
            }
            out.add(part.asText());
        }
        if (out.getFirst().isBlank()) {
            throw ExecutorException.invalidPayload("shell: command[0] must name a program");
        }
        return out;
    }

    @Override
    public ExecutionResult execute(ExecutionRequest request, ExecutionContext context) throws Exception {
        JsonNode payload = request.payload();
        check(payload);
        ProcessBuilder builder = new ProcessBuilder(command(payload));
        builder.directory(workingDir(payload, context.workDir()).toFile());
        JsonNode env = payload.get("env");
        if (env != null) {
            Map<String, String> environment = builder.environment();
            env.properties()
                    .forEach(e -> environment.put(e.getKey(), e.getValue().asText()));
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new ExecutorException(
                    ErrorCode.EXECUTOR_ERROR,
                    "cannot start " + builder.command().getFirst() + ": " + e.getMessage(),
                    false,
                    e);
        }
        context.onCancel(() -> ProcessTree.kill(process.toHandle()));
        process.getOutputStream().close();
        TailBuffer stdoutTail = new TailBuffer(TAIL_BYTES);
        TailBuffer stderrTail = new TailBuffer(TAIL_BYTES);
        Thread out = Thread.ofVirtual().start(() -> pump(process.getInputStream(), "stdout", stdoutTail, context));
        Thread err = Thread.ofVirtual().start(() -> pump(process.getErrorStream(), "stderr", stderrTail, context));
        int exit;
        try {
            exit = process.waitFor();
            out.join();
            err.join();
        } finally {
            if (process.isAlive() || process.toHandle().descendants().findAny().isPresent()) {
                ProcessTree.kill(process.toHandle());
            }
        }
        if (exit != 0) {
            throw new ExecutorException(
                    ErrorCode.EXECUTOR_ERROR,
                    "command exited with code " + exit + "; end of stderr: "
                            + stderrTail.text().strip(),
                    true);
        }
        ObjectNode result = Json.mapper().createObjectNode().put("exit_code", exit);
        String tail = stdoutTail.text();
        if (!tail.isEmpty()) {
            result.put("stdout_tail", tail);
        }
        return ExecutionResult.of(result);
    }

    private static Path workingDir(JsonNode payload, Path workDir) throws ExecutorException {
        JsonNode cwd = payload.get("cwd");
        if (cwd == null) {
            return workDir;
        }
        Path dir = workDir.resolve(cwd.asText());
        if (!Files.isDirectory(dir)) {
            throw ExecutorException.invalidPayload("shell: cwd '" + cwd.asText() + "' is not a directory");
        }
        return dir;
    }

    private static void pump(InputStream in, String stream, TailBuffer tail, ExecutionContext context) {
        byte[] buffer = new byte[8192];
        try (in) {
            // Ends at EOF, which comes at the latest when the process tree is killed.
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                if (n == 0) {
                    continue;
                }
                tail.write(buffer, n);
                if (!context.cancelled()) {
                    context.emit(stream, Arrays.copyOf(buffer, n));
                }
            }
        } catch (IOException | ExecutorException e) {
            // The stream closed because the process was killed, or the job is being stopped for backpressure.
        }
    }
}
