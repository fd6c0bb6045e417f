package org.planetarymesh.it.agent;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real mesh process seen from another package: either one of the harness's {@code MeshProcess}es (reached through
 * reflection, because the harness is package-private) or a process this package starts itself, e.g. with a plugin
 * jar on the class path.
 */
public final class Proc implements AutoCloseable {
    private final Object meshProcess;
    private final Process process;
    private final Path logFile;
    private final String name;

    private Proc(Object meshProcess, Process process, Path logFile, String name) {
        this.meshProcess = meshProcess;
        this.process = process;
        this.logFile = logFile;
        this.name = name;
    }

    static Proc of(Object meshProcess) {
        return new Proc(meshProcess, null, null, String.valueOf(meshProcess));
    }

    /**
     * Starts {@code java -cp mesh.jar:EXTRA org.planetarymesh.cli.MeshCommand ARGS}, output to
     * {@code workDir/<name>.log}: the agent as a user runs it with an executor jar dropped next to it.
     */
    public static Proc startWithClasspath(String name, Path workDir, List<Path> extraJars, String... args) {
        StringBuilder classpath = new StringBuilder(Mesh.jar().toString());
        extraJars.forEach(jar -> classpath.append(java.io.File.pathSeparator).append(jar.toAbsolutePath()));
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED",
                "-Xmx256m",
                "-cp",
                classpath.toString(),
                "org.planetarymesh.cli.MeshCommand"));
        command.addAll(List.of(args));
        try {
            Files.createDirectories(workDir);
            Path log = workDir.resolve(name + ".log");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().keySet().removeIf(key -> key.startsWith("MESH_"));
            return new Proc(null, builder.start(), log, name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Object call(String method, Class<?>[] types, Object... args) {
        try {
            Method m = meshProcess.getClass().getDeclaredMethod(method, types);
            m.setAccessible(true);
            return m.invoke(meshProcess, args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until the log matches {@code regex}; returns group 1 (or the whole match). */
    public String awaitLog(String regex, Duration timeout) {
        if (meshProcess != null) {
            return (String) call("awaitLog", new Class<?>[] {String.class, Duration.class}, regex, timeout);
        }
        Pattern pattern = Pattern.compile(regex);
        String[] found = new String[1];
        await().atMost(timeout).pollInterval(Duration.ofMillis(50)).until(() -> {
            Matcher matcher = pattern.matcher(log());
            if (matcher.find()) {
                found[0] = matcher.groupCount() > 0 ? matcher.group(1) : matcher.group();
                return true;
            }
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + log());
            }
            return false;
        });
        return found[0];
    }

    /** Everything the process printed so far. */
    public String log() {
        if (meshProcess != null) {
            return (String) call("log", new Class<?>[0]);
        }
        try {
            return Files.exists(logFile) ? Files.readString(logFile) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** How many times {@code regex} occurs in the log. */
    public int count(String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(log());
        int n = 0;
        while (matcher.find()) {
            n++;
        }
        return n;
    }

    public long pid() {
        return meshProcess != null ? (long) call("pid", new Class<?>[0]) : process.pid();
    }

    public boolean isAlive() {
        return meshProcess != null ? (boolean) call("isAlive", new Class<?>[0]) : process.isAlive();
    }

    /** SIGKILL, and wait for the exit. */
    public void kill9() {
        if (meshProcess != null) {
            call("kill9", new Class<?>[0]);
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (meshProcess != null) {
            call("close", new Class<?>[0]);
            return;
        }
        if (process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            kill9();
        }
    }
}
