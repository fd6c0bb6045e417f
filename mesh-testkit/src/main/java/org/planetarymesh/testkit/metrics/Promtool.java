package org.planetarymesh.testkit.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Runs Debian's {@code promtool check metrics} (package {@code prometheus}, installed by {@code .ci/run}) on a scrape:
 * the linter Prometheus's own tooling applies (help text on every metric, counter names ending in {@code _total},
 * base units, ...).
 */
public final class Promtool {

    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    private Promtool() {}

    /** What promtool said about {@code scrape} and its exit code; a clean scrape is exit 0 with nothing said. */
    public record Verdict(int exitCode, String output) {

        public boolean clean() {
            return exitCode == 0 && output.isBlank();
        }
    }

    /** Checks {@code scrape}; fails with how to install promtool when it is missing. */
    public static Verdict checkMetrics(String scrape) throws IOException, InterruptedException {
        if (!Files.isExecutable(PROMTOOL)) {
            throw new IllegalStateException(PROMTOOL
                    + " is missing: install Debian's prometheus package (.ci/run does: apt-get install prometheus)");
        }
        Process process = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics")
                .redirectErrorStream(true)
                .start();
        try (var in = process.getOutputStream()) {
            in.write(scrape.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("promtool check metrics did not finish within 30 s");
        }
        return new Verdict(process.exitValue(), output);
    }
}
