package org.planetarymesh.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine;

/**
 * The training run of the CLI's AOT cache (the launcher runs it once per build with {@code -XX:AOTCacheOutput}): each
 * client command run in this JVM, as a user runs it, against a throwaway {@code mesh up} in a child JVM. The mesh runs
 * apart so that only the classes a CLI round trip loads go into the cache: a JVM started from an AOT cache loads
 * every class in it up front. Not a user command: it has no picocli entry.
 */
public final class CliTraining {

    private static final String UP_LINE = "Planetary Mesh is up at ";

    private CliTraining() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("mesh-cli-training");
        Process up = startMesh(dir);
        try {
            String url = awaitUrl(up);
            String token = Files.readString(dir.resolve("admin.token")).strip();
            String[] connection = {"--coordinator", url, "--token", token};
            String id = run(connection, "submit", "sleep", "--payload", "{\"ms\":1}")
                    .strip();
            run(connection, "submit", "echo", "--payload", "{\"hello\":\"mesh\"}", "--wait");
            run(connection, "jobs");
            run(connection, "jobs", "--output", "json");
            run(connection, "job", id);
            run(connection, "logs", id);
            run(connection, "nodes");
            run(connection, "cancel", id);
            run(connection, "token", "list");
        } finally {
            up.destroy();
            up.waitFor();
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            }
        }
    }

    private static Process startMesh(Path dir) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        String jar = System.getProperty("java.class.path");
        return new ProcessBuilder(List.of(java, "-jar", jar, "up", "--port", "0", "--data-dir", dir.toString()))
                .redirectErrorStream(true)
                .start();
    }

    /** The mesh's URL from its banner; bounded by the child's output, which ends if it exits. */
    private static String awaitUrl(Process up) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(up.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith(UP_LINE)) {
                String url = line.substring(UP_LINE.length()).strip();
                // Keep draining its output so the child never blocks on a full pipe.
                Thread.ofVirtual().start(() -> out.lines().forEach(ignored -> {}));
                return url;
            }
        }
        throw new IllegalStateException("mesh up exited before it was up");
    }

    /** Runs {@code mesh ARGS... CONNECTION...} in this JVM, through the same entry point as the jar; returns stdout. */
    private static String run(String[] connection, String... args) {
        String[] all = new String[args.length + connection.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(connection, 0, all, args.length, connection.length);
        StringWriter out = new StringWriter();
        CommandLine mesh = MeshCommand.newCommandLine(all);
        mesh.setOut(new PrintWriter(out));
        mesh.setErr(new PrintWriter(Writer.nullWriter()));
        mesh.execute(all);
        return out.toString();
    }
}
