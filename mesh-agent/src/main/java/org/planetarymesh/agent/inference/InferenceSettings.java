package org.planetarymesh.agent.inference;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.planetarymesh.executor.ExecutorConfig;

/**
 * The {@code inference} executor's settings ({@code [executors.inference]} in {@code agent.toml}, or
 * {@code --executor-setting inference.KEY=VALUE}).
 *
 * @param backends backends named by the operator, each an http(s) URL (a hosted OpenAI-compatible API included)
 * @param apiKey the key sent as {@code Authorization: Bearer} to the named backends ({@code api_key}, or the
 *     environment variable {@code api_key_env} names); never to discovered ones; {@code null} for none
 * @param discover whether to look for backends on the usual local ports
 * @param discoverHost the host discovery probes (loopback unless the operator says otherwise)
 * @param discoverPorts the ports it probes: vLLM 8000, llama.cpp 8080, LM Studio 1234, Ollama 11434
 * @param refreshInterval how often the backends are asked again for their models
 * @param probeTimeout how long one probe may take
 * @param maxConcurrent inference jobs at once; one more is refused {@code out_of_capacity}
 * @param maxTokens the most tokens a job may generate; a request asking more (or nothing) is bounded to it
 * @param requestTimeout how long a job without a deadline may wait for its backend in all
 * @param streamIntervalMillis the shortest time between two chunks of a job's text (0: each piece of text at once)
 */
record InferenceSettings(
        List<URI> backends,
        String apiKey,
        boolean discover,
        String discoverHost,
        List<Integer> discoverPorts,
        Duration refreshInterval,
        Duration probeTimeout,
        int maxConcurrent,
        int maxTokens,
        Duration requestTimeout,
        long streamIntervalMillis) {

    /** A stream's text leaves at most this often by default: a tenth of a frame per token at 1,000 tokens/s. */
    static final long DEFAULT_STREAM_INTERVAL_MS = 10;

    static final List<Integer> DEFAULT_PORTS = List.of(8000, 8080, 1234, 11434);
    static final List<String> KEYS = List.of(
            "backends",
            "api_key",
            "api_key_env",
            "discover",
            "discover_host",
            "discover_ports",
            "refresh_interval_ms",
            "probe_timeout_ms",
            "max_concurrent",
            "max_tokens",
            "request_timeout_ms",
            "stream_interval_ms");

    /**
     * Reads the settings.
     *
     * @throws org.planetarymesh.executor.InvalidExecutorConfigException for an unknown key or a wrong value, naming it
     */
    static InferenceSettings from(ExecutorConfig config) {
        config.allowOnly(KEYS.toArray(String[]::new));
        List<URI> backends = new ArrayList<>();
        for (String url : config.list("backends")) {
            backends.add(backendUrl(config, url));
        }
        return new InferenceSettings(
                List.copyOf(backends),
                apiKey(config),
                config.flag("discover", true),
                config.string("discover_host", "127.0.0.1"),
                ports(config),
                Duration.ofMillis(positive(config, "refresh_interval_ms", 30_000)),
                Duration.ofMillis(positive(config, "probe_timeout_ms", 1_000)),
                (int) Math.min(10_000, positive(config, "max_concurrent", 4)),
                (int) Math.min(1_000_000, positive(config, "max_tokens", 2_048)),
                Duration.ofMillis(positive(config, "request_timeout_ms", 600_000)),
                streamInterval(config));
    }

    private static URI backendUrl(ExecutorConfig config, String url) {
        try {
            URI uri = URI.create(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // Reported below with the fix.
        }
        throw config.invalid(
                "backends",
                "'" + url + "' is not an http(s) URL; name each backend like http://127.0.0.1:8000 or"
                        + " https://api.openai.com/v1, e.g. " + config.howToSet("backends", "http://127.0.0.1:8000"));
    }

    private static String apiKey(ExecutorConfig config) {
        if (config.string("api_key").isPresent() && config.string("api_key_env").isPresent()) {
            throw config.invalid("api_key_env", "set api_key or api_key_env, not both");
        }
        if (config.string("api_key").isPresent()) {
            return config.string("api_key").get().strip();
        }
        if (config.string("api_key_env").isEmpty()) {
            return null;
        }
        String variable = config.string("api_key_env").get().strip();
        String value = System.getenv(variable);
        if (value == null || value.isBlank()) {
            throw config.invalid(
                    "api_key_env",
                    "the environment variable " + variable + " is not set; export it before the agent starts");
        }
        return value.strip();
    }

    private static List<Integer> ports(ExecutorConfig config) {
        if (config.string("discover_ports").isEmpty()) {
            return DEFAULT_PORTS;
        }
        List<Integer> ports = new ArrayList<>();
        for (String port : config.list("discover_ports")) {
            try {
                int value = Integer.parseInt(port);
                if (value >= 1 && value <= 65_535) {
                    ports.add(value);
                    continue;
                }
            } catch (NumberFormatException e) {
                // Reported below.
            }
            throw config.invalid("discover_ports", "'" + port + "' is not a port (1-65535)");
        }
        return List.copyOf(ports);
    }

    private static long streamInterval(ExecutorConfig config) {
        long value = config.number("stream_interval_ms", DEFAULT_STREAM_INTERVAL_MS);
        if (value < 0 || value > 1_000) {
            throw config.invalid("stream_interval_ms", "must be between 0 (each piece at once) and 1000, got " + value);
        }
        return value;
    }

    private static long positive(ExecutorConfig config, String key, long fallback) {
        long value = config.number(key, fallback);
        if (value < 1) {
            throw config.invalid(key, "must be 1 or more, got " + value);
        }
        return value;
    }

    @Override
    public String toString() {
        // The key stays out of logs.
        return "InferenceSettings[backends=" + backends + ", apiKey=" + (apiKey == null ? "none" : "set")
                + ", discover=" + discover + " " + discoverHost + ":" + discoverPorts + ", maxConcurrent="
                + maxConcurrent + ", maxTokens=" + maxTokens + ", streamIntervalMillis=" + streamIntervalMillis + "]";
    }
}
