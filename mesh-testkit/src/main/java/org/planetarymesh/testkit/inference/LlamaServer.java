package org.planetarymesh.testkit.inference;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A real llama.cpp {@code llama-server} on a loopback port, serving a tiny random model: the OpenAI-compatible
 * backend of the inference tests (vLLM and LM Studio speak the same wire format). The binaries come from
 * {@code scripts/llama-server.sh}, which builds them once from the llama.cpp source that the npm package
 * node-llama-cpp ships and caches them outside the repo; the model is a random llama2.c checkpoint converted with
 * llama.cpp's converter and the llama vocabulary, cached beside the binaries as {@code models/tiny.gguf}.
 */
public final class LlamaServer implements AutoCloseable {
    /** The model id the server answers to (its {@code --alias}). */
    public static final String MODEL = "tiny";

    private static final Duration BUILD_WAIT = Duration.ofMinutes(40);
    private static Path installDir;

    private final Process process;
    private final int port;
    private final Path log;
    private final Options options;

    /**
     * How to start the server.
     *
     * @param port the loopback port, or 0 for a free one
     * @param apiKey the key it requires as {@code Authorization: Bearer}, or {@code null} for none
     * @param slots how many requests it generates for at once ({@code -np})
     * @param contextSize its context in tokens ({@code -c}), shared by the slots
     */
    public record Options(int port, String apiKey, int slots, int contextSize) {
        /** One slot, no key, a free port, 2048 tokens of context. */
        public static Options defaults() {
            return new Options(0, null, 1, 2048);
        }

        public Options withPort(int port) {
            return new Options(port, apiKey, slots, contextSize);
        }

        public Options withApiKey(String apiKey) {
            return new Options(port, apiKey, slots, contextSize);
        }

        public Options withSlots(int slots) {
            return new Options(port, apiKey, slots, contextSize);
        }
    }

    private LlamaServer(Process process, int port, Path log, Options options) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.options = options;
    }

    /** Starts a server with {@link Options#defaults()}. */
    public static LlamaServer start() {
        return start(Options.defaults());
    }

    /** Starts a server and waits until its {@code /health} answers 200 (it answers 503 while loading). */
    public static LlamaServer start(Options options) {
        Path dir = install();
        Path model = tinyModel();
        int port = options.port() == 0 ? freePort() : options.port();
        try {
            Path log = Files.createTempFile("llama-server-", ".log");
            List<String> command = new ArrayList<>(List.of(
                    dir.resolve("bin/llama-server").toString(),
                    "-m",
                    model.toString(),
                    "--alias",
                    MODEL,
                    "--host",
                    "127.0.0.1",
                    "--port",
                    Integer.toString(port),
                    "--chat-template",
                    "chatml",
                    "-c",
                    Integer.toString(options.contextSize()),
                    "-np",
                    Integer.toString(options.slots()),
                    "-t",
                    "1",
                    "--no-webui"));
            if (options.apiKey() != null) {
                command.addAll(List.of("--api-key", options.apiKey()));
            }
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            LlamaServer server = new LlamaServer(process, port, log, options);
            server.awaitHealthy();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops this server and starts another with {@code options} on the same port. */
    public LlamaServer restart(Options options) {
        close();
        return start(options.withPort(port));
    }

    private void awaitHealthy() {
        HttpClient client = HttpClient.newHttpClient();
        try {
            Awaitility.await("llama-server on port " + port + " healthy")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .ignoreExceptions()
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException(
                                    "llama-server exited with " + process.exitValue() + ":\n" + logTail());
                        }
                        HttpResponse<Void> health = client.send(
                                HttpRequest.newBuilder(URI.create(baseUrl() + "/health"))
                                        .timeout(Duration.ofSeconds(2))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding());
                        return health.statusCode() == 200;
                    });
        } catch (RuntimeException e) {
            close();
            throw new IllegalStateException("llama-server did not become healthy:\n" + logTail(), e);
        } finally {
            client.close();
        }
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Its port. */
    public int port() {
        return port;
    }

    /** The options it was started with. */
    public Options options() {
        return options;
    }

    /** Whether the process still runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** What it has logged so far (stdout and stderr). */
    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    private String logTail() {
        String text = log();
        return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
    }

    /** Stops the server (SIGTERM, then SIGKILL after 5 s) and waits until it has exited. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /**
     * The directory with {@code bin/llama-server}, {@code bin/llama-convert-llama2c-to-ggml} and the vocabulary,
     * building it first if it is not cached (about 10 minutes on 2 cores; a concurrent call waits on the script's
     * lock).
     */
    public static synchronized Path install() {
        if (installDir != null) {
            return installDir;
        }
        Path script = findScript();
        try {
            Process build = new ProcessBuilder("bash", script.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            String out = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!build.waitFor(BUILD_WAIT.toMinutes(), TimeUnit.MINUTES) || build.exitValue() != 0) {
                throw new IllegalStateException(script + " failed (exit "
                        + (build.isAlive() ? "none, still running" : build.exitValue()) + "): " + out);
            }
            String[] lines = out.split("\n");
            installDir = Path.of(lines[lines.length - 1].strip());
            return installDir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building llama-server", e);
        }
    }

    /** The tiny model, converted once and cached beside the binaries; test JVMs running at once share one file. */
    public static Path tinyModel() {
        Path dir = install();
        Path model = dir.resolve("models/tiny.gguf");
        if (Files.isRegularFile(model)) {
            return model;
        }
        try (FileChannel lockFile = FileChannel.open(
                        dir.resolve("models/tiny.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock ignored = lockFile.lock()) {
            if (Files.isRegularFile(model)) {
                return model;
            }
            Path work = Files.createTempDirectory(dir.resolve("models"), "tiny-");
            Path checkpoint = work.resolve("tiny.bin");
            Path converted = work.resolve("tiny.gguf");
            TinyCheckpoint.write(checkpoint, 20261207L);
            Process convert = new ProcessBuilder(
                            dir.resolve("bin/llama-convert-llama2c-to-ggml").toString(),
                            "--copy-vocab-from-model",
                            dir.resolve("models/ggml-vocab-llama-spm.gguf").toString(),
                            "--llama2c-model",
                            checkpoint.toString(),
                            "--llama2c-output-model",
                            converted.toString())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(convert.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (convert.waitFor() != 0 || !Files.isRegularFile(converted)) {
                throw new IllegalStateException("llama-convert-llama2c-to-ggml failed:\n" + output);
            }
            Files.move(converted, model, StandardCopyOption.ATOMIC_MOVE);
            Files.delete(checkpoint);
            Files.delete(work);
            return model;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the tiny model in " + dir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while converting the tiny model", e);
        }
    }

    private static Path findScript() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path script = dir.resolve("scripts/llama-server.sh");
            if (Files.isRegularFile(script)) {
                return script;
            }
        }
        throw new IllegalStateException(
                "scripts/llama-server.sh not found above " + Path.of("").toAbsolutePath());
    }

    /** A port free on loopback now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
