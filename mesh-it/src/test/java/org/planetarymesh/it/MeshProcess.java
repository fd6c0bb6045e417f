package org.planetarymesh.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real {@code mesh} process started from the runnable jar (as a user would run it), with its output captured in a
 * log file the test can wait on. {@link #kill9()} is a real SIGKILL; {@link #interrupt()} a real SIGINT.
 */
public final class MeshProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final String name;

    private MeshProcess(Process process, Path log, String name) {
        this.process = process;
        this.log = log;
        this.name = name;
    }

    /** The jar the reactor built: set by surefire as {@code mesh.jar}. */
    public static Path jar() {
        Path jar = Path.of(System.getProperty("mesh.jar", "../mesh-cli/target/mesh.jar"))
                .toAbsolutePath()
                .normalize();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(
                    "build the runnable jar first: ./mvnw -pl mesh-cli -am package (" + jar + ")");
        }
        return jar;
    }

    /** The repository root (for the {@code ./mesh} launcher and README). */
    public static Path root() {
        return Path.of(System.getProperty("mesh.root", "..")).toAbsolutePath().normalize();
    }

    /** The java binary of this JVM, a JDK 25. */
    public static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** Starts {@code mesh ARGS...} in {@code workDir}, output to {@code workDir/<name>.log}. */
    public static MeshProcess start(String name, Path workDir, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(
                List.of(java(), "--enable-native-access=ALL-UNNAMED", "-Xmx512m", "-jar", jar().toString()));
        command.addAll(List.of(args));
        return launch(name, workDir, env, command);
    }

    /** Starts any long-running command (e.g. the {@code ./mesh} launcher), output to {@code workDir/<name>.log}. */
    public static MeshProcess startCommand(String name, Path workDir, Map<String, String> env, List<String> command) {
        return launch(name, workDir, env, command);
    }

    private static MeshProcess launch(String name, Path workDir, Map<String, String> env, List<String> command) {
        try {
            Files.createDirectories(workDir);
            Path log = workDir.resolve(name + ".log");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().keySet().removeIf(key -> key.startsWith("MESH_"));
            builder.environment().putAll(env);
            return new MeshProcess(builder.start(), log, name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code mesh ARGS...} to completion (bounded by {@code timeout}) and returns its exit code and output. */
    public static Result run(Path workDir, Map<String, String> env, Duration timeout, String... args) {
        List<String> command =
                new ArrayList<>(List.of(java(), "--enable-native-access=ALL-UNNAMED", "-jar", jar().toString()));
        command.addAll(List.of(args));
        return exec(workDir, env, timeout, command);
    }

    /** Runs any command (e.g. the {@code ./mesh} launcher) to completion, bounded by {@code timeout}. */
    public static Result exec(Path workDir, Map<String, String> env, Duration timeout, List<String> command) {
        try {
            Files.createDirectories(workDir);
            Path out = Files.createTempFile(workDir, "out", ".txt");
            Path err = Files.createTempFile(workDir, "err", ".txt");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            builder.environment().keySet().removeIf(key -> key.startsWith("MESH_"));
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError("command did not finish within " + timeout + ": " + command + "\nstdout: "
                        + Files.readString(out) + "\nstderr: " + Files.readString(err));
            }
            return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The exit code and output of a finished command. */
    public record Result(int exitCode, String stdout, String stderr) {}

    /** Waits until the log matches {@code regex}; returns the first match's group 1 (or the whole match). */
    public String awaitLog(String regex, Duration timeout) {
        Pattern pattern = Pattern.compile(regex);
        String[] found = new String[1];
        await().atMost(timeout).pollInterval(Duration.ofMillis(50)).until(() -> {
            if (!process.isAlive() && !pattern.matcher(log()).find()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + log());
            }
            Matcher matcher = pattern.matcher(log());
            if (matcher.find()) {
                found[0] = matcher.groupCount() > 0 ? matcher.group(1) : matcher.group();
                return true;
            }
            return false;
        });
        return found[0];
    }

    /** Everything the process printed so far (appended across starts under the same name). */
    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** How many times {@code regex} occurs in the log so far. */
    public int count(String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(log());
        int n = 0;
        while (matcher.find()) {
            n++;
        }
        return n;
    }

    /** The name its log file is kept under. */
    public String name() {
        return name;
    }

    /** The operating-system process id. */
    public long pid() {
        return process.pid();
    }

    /** Whether the process still runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed. */
    public void kill9() {
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(10));
    }

    /** SIGINT, as Ctrl-C in a terminal. */
    public void interrupt() {
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(process.pid()))
                    .start()
                    .waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for the process to exit; returns its exit code. */
    public int waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + " did not exit within " + timeout + ":\n" + log());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            waitFor(Duration.ofSeconds(10));
        }
    }
}
