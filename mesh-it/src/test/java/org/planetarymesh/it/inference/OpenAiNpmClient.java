package org.planetarymesh.it.inference;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.it.MeshProcess;

/**
 * The official {@code openai} npm client, installed once into a test-owned directory under {@code target/}, and a
 * script ({@code openai/client.mjs}) that uses it as an application would. Tests that need it are skipped, saying
 * so, when npm cannot reach its registry.
 */
final class OpenAiNpmClient {

    /** The newest release that runs on the Node.js 20 here (7.x needs Node.js 22). */
    static final String VERSION = "6.30.1";

    private static final Path DIR = Path.of("target", "openai-npm-client").toAbsolutePath();

    private OpenAiNpmClient() {}

    /** Installs the client if it is not there yet; skips the calling test if npm cannot fetch it. */
    static synchronized Path install() {
        Path installed = DIR.resolve("node_modules/openai/package.json");
        try {
            if (!Files.exists(installed) || !Files.readString(installed).contains("\"version\": \"" + VERSION + "\"")) {
                Files.createDirectories(DIR);
                Files.writeString(
                        DIR.resolve("package.json"), "{\"name\":\"mesh-openai-client-test\",\"private\":true}");
                MeshProcess.Result npm = MeshProcess.exec(
                        DIR,
                        Map.of(),
                        Duration.ofMinutes(3),
                        List.of("npm", "install", "--no-audit", "--no-fund", "--silent", "openai@" + VERSION));
                assumeTrue(
                        npm.exitCode() == 0,
                        "skipped: npm could not install openai@" + VERSION + " (is the npm registry reachable?): "
                                + npm.stderr());
            }
            try (InputStream script = OpenAiNpmClient.class.getResourceAsStream("/openai/client.mjs")) {
                Files.write(DIR.resolve("client.mjs"), script.readAllBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return DIR;
    }

    /** Runs the script against {@code baseUrl} ({@code .../v1}) and returns what it saw. */
    static JsonNode run(String baseUrl, String apiKey, String model) throws IOException {
        Path dir = install();
        MeshProcess.Result run = MeshProcess.exec(
                dir, Map.of(), Duration.ofMinutes(2), List.of("node", "client.mjs", baseUrl, apiKey, model));
        if (run.exitCode() != 0) {
            throw new AssertionError(
                    "the openai client script failed (" + run.exitCode() + "): " + run.stderr() + run.stdout());
        }
        return Json.mapper().readTree(run.stdout());
    }
}
