package org.planetarymesh.bench;

import java.io.PrintStream;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.planetarymesh.testkit.inference.LlamaServer;

/**
 * {@code inference}: what the mesh's OpenAI gateway costs a streamed chat. One agent relays to one OpenAI-compatible
 * server ({@code --backend}, or a {@code llama-server} with a tiny random model started here); requests go to that
 * server directly and through the coordinator's {@code /v1/chat/completions} in turn, one at a time, so both see the
 * same server state. Reports time to first token and tokens per second for each path and the difference
 * (targets: at most 2 ms added to TTFT p50, at most 2% fewer tokens per second).
 */
final class InferenceScenario {

    /** Tokens each request generates: {@code ignore_eos} makes llama.cpp produce exactly this many. */
    static final int TOKENS = 128;

    private static final int DEFAULT_REQUESTS = 100;
    private static final int DEFAULT_WARMUP = 10;

    private InferenceScenario() {}

    static void run(MeshUnderTest mesh, BenchOptions options, Results results, PrintStream err) throws Exception {
        int requests = BenchOptions.or(options.jobs(), DEFAULT_REQUESTS);
        int warmup = options.warmupOr(DEFAULT_WARMUP);
        LlamaServer started = options.backend() == null ? startLlamaServer() : null;
        String backend = options.backend() != null ? options.backend() : started.baseUrl();
        String model = options.model() != null ? options.model() : LlamaServer.MODEL;
        try (started;
                HttpClient http = HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .build();
                AgentProcesses agents = AgentProcesses.start(
                        1,
                        mesh.url(),
                        mesh.token(),
                        4,
                        mesh.workDir(),
                        List.of(
                                "--executor-setting",
                                "inference.backends=" + backend,
                                "--executor-setting",
                                "inference.discover=false"))) {
            if (!mesh.awaitNodes(1, Duration.ofSeconds(60))) {
                throw new IllegalStateException("the agent did not connect within 60 s; see " + mesh.workDir());
            }
            awaitModel(mesh, model);
            measure(new StreamedChat(http), mesh, backend, body(model), requests, warmup, results, err);
        }
    }

    private static void measure(
            StreamedChat chat,
            MeshUnderTest mesh,
            String backend,
            String body,
            int requests,
            int warmup,
            Results results,
            PrintStream err)
            throws Exception {
        double[] directTtft = new double[requests];
        double[] gatewayTtft = new double[requests];
        double[] directRate = new double[requests];
        double[] gatewayRate = new double[requests];
        Progress progress = new Progress(err, "inference", requests);
        for (int i = -warmup; i < requests; i++) {
            // In turn, so that drift (the machine's load, the server's caches) touches both paths alike.
            StreamedChat.Timing direct = chat.run(backend, null, body);
            StreamedChat.Timing gateway = chat.run(mesh.url(), mesh.token(), body);
            if (i < 0) {
                continue;
            }
            directTtft[i] = direct.ttftMillis();
            gatewayTtft[i] = gateway.ttftMillis();
            directRate[i] = direct.tokensPerSecond();
            gatewayRate[i] = gateway.tokensPerSecond();
            progress.update(i + 1);
        }
        progress.finish();
        Percentiles dTtft = new Percentiles(directTtft);
        Percentiles gTtft = new Percentiles(gatewayTtft);
        Percentiles dRate = new Percentiles(directRate);
        Percentiles gRate = new Percentiles(gatewayRate);
        results.result("inference_direct_ttft_p50", round(dTtft.at(50)), "ms");
        results.result("inference_gateway_ttft_p50", round(gTtft.at(50)), "ms");
        results.result("inference_added_ttft_p50", round(gTtft.at(50) - dTtft.at(50)), "ms");
        results.result("inference_direct_ttft_p99", round(dTtft.at(99)), "ms");
        results.result("inference_gateway_ttft_p99", round(gTtft.at(99)), "ms");
        results.result("inference_direct_tokens_per_second_p50", round(dRate.at(50)), "tokens/s");
        results.result("inference_gateway_tokens_per_second_p50", round(gRate.at(50)), "tokens/s");
        double ratio = gRate.at(50) / dRate.at(50);
        results.result("inference_tokens_per_second_ratio", Math.round(ratio * 1000) / 1000.0, "x");
        results.note(String.format(
                Locale.ROOT,
                "inference: %d streamed requests each way (after %d warm-up pairs), %d tokens each; TTFT p50 direct"
                        + " %.2f ms, gateway %.2f ms (+%.2f ms, target <= 2); tokens/s p50 direct %.0f, gateway %.0f"
                        + " (%.1f%%, target >= 98%%)",
                requests,
                warmup,
                TOKENS,
                dTtft.at(50),
                gTtft.at(50),
                gTtft.at(50) - dTtft.at(50),
                dRate.at(50),
                gRate.at(50),
                ratio * 100));
    }

    /** The tests' llama-server with its tiny model; it is built by scripts/llama-server.sh, found above the cwd. */
    private static LlamaServer startLlamaServer() {
        try {
            return LlamaServer.start();
        } catch (IllegalStateException e) {
            throw new IllegalStateException(
                    "could not start a llama-server to measure (" + e.getMessage() + "); run the bench from the"
                            + " repository (./mesh bench inference), or pass --backend URL of a running"
                            + " OpenAI-compatible server and --model ID",
                    e);
        }
    }

    /** Waits until a node advertises {@code model}, which the agent learns by asking its backend. */
    private static void awaitModel(MeshUnderTest mesh, String model) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (mesh.client().nodes().stream()
                .noneMatch(n ->
                        n.models().contains(model) || n.modelStates().stream().anyMatch(m -> m.id().equals(model)))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no node advertised model " + model + " within 60 s");
            }
            Thread.sleep(100);
        }
    }

    private static String body(String model) {
        return "{\"model\":\"" + model + "\",\"max_tokens\":" + TOKENS + ",\"ignore_eos\":true,\"temperature\":0,"
                + "\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Tell the mesh a story.\"}]}";
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
