package org.planetarymesh.agent.executor.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.executor.ErrorCode;
import org.planetarymesh.executor.ExecutionContext;
import org.planetarymesh.executor.ExecutionRequest;
import org.planetarymesh.executor.ExecutionResult;
import org.planetarymesh.executor.Executor;
import org.planetarymesh.executor.ExecutorConfig;
import org.planetarymesh.executor.ExecutorException;

/**
 * {@code http} (download, scrape): {@code {"url", "method": "GET"|"POST", "headers": {}, "body": "...",
 * "timeout_ms", "max_bytes", "save_as": "file"}} to a host on the agent's allow-list only. Redirects are not followed,
 * because the next hop could be a host off the list. The result is {@code {status, headers, body | body_base64}}, or
 * with {@code save_as} {@code {status, headers, file, size, sha256}} with the body saved under the job's work dir.
 * An inline body is limited to 512 KiB (it travels in one protocol frame), a saved one to {@code max_bytes}
 * (default 256 MiB).
 */
public final class HttpExecutor implements Executor {
    // An inline body travels inside one protocol frame (1 MiB by default), so it stays well below that.
    static final long MAX_INLINE_BYTES = 512L << 10;
    static final long DEFAULT_MAX_SAVED_BYTES = 256L << 20;
    private static final long DEFAULT_TIMEOUT_MS = 30_000;

    private List<String> allowedHosts = List.of();
    private ExecutorConfig config = ExecutorConfig.of("http", java.util.Map.of());
    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    /** Reads {@code allow}: the hosts it may call, from {@code --allow-http}; empty (the default) turns http off. */
    @Override
    public void configure(ExecutorConfig config) {
        config.allowOnly("allow");
        this.config = config;
        this.allowedHosts = config.list("allow").stream()
                .map(h -> h.toLowerCase(Locale.ROOT))
                .toList();
    }

    @Override
    public String name() {
        return "http";
    }

    @Override
    public void check(JsonNode payload) throws ExecutorException {
        URI uri = uri(payload);
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (!allowedHosts.contains("*") && !allowedHosts.contains(host)) {
            String example = allowedHosts.isEmpty() ? host : String.join(",", allowedHosts) + "," + host;
            throw ExecutorException.unsupported("host '" + host + "' is not on this agent's http allow-list ("
                    + allowedHosts + "); add it by restarting the agent with " + config.howToSet("allow", example));
        }
        String method = method(payload);
        if (!Set.of("GET", "POST").contains(method)) {
            throw ExecutorException.invalidPayload("http: method must be GET or POST, got '" + method + "'");
        }
        JsonNode saveAs = payload.get("save_as");
        if (saveAs != null && (!saveAs.isTextual() || !safeFileName(saveAs.asText()))) {
            throw ExecutorException.invalidPayload(
                    "http: save_as must be a plain file name (no '/', '\\' or '..'), got " + saveAs);
        }
        JsonNode maxBytes = payload.get("max_bytes");
        if (maxBytes != null && (!maxBytes.canConvertToLong() || maxBytes.asLong() < 1)) {
            throw ExecutorException.invalidPayload("http: max_bytes must be a positive whole number");
        }
        if (saveAs == null && maxBytes != null && maxBytes.asLong() > MAX_INLINE_BYTES) {
            throw ExecutorException.invalidPayload("http: max_bytes above " + MAX_INLINE_BYTES
                    + " needs save_as, so the body goes to a file instead of into the result");
        }
    }

    private static boolean safeFileName(String name) {
        return !name.isBlank()
                && !name.contains("/")
                && !name.contains("\\")
                && !name.equals("..")
                && !name.equals(".");
    }

    private static URI uri(JsonNode payload) throws ExecutorException {
        JsonNode url = payload == null ? null : payload.get("url");
        if (url == null || !url.isTextual()) {
            throw ExecutorException.invalidPayload("http needs {\"url\": \"http(s)://host/...\"}");
        }
        try {
            URI uri = URI.create(url.asText());
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw ExecutorException.invalidPayload("http: url must be http(s)://host/..., got " + url.asText());
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw ExecutorException.invalidPayload("http: url '" + url.asText() + "' is not valid: " + e.getMessage());
        }
    }

    private static String method(JsonNode payload) {
        JsonNode m = payload.get("method");
        return m == null ? "GET" : m.asText().toUpperCase(Locale.ROOT);
    }

    @Override
    public ExecutionResult execute(ExecutionRequest request, ExecutionContext context) throws Exception {
        JsonNode payload = request.payload();
        check(payload);
        JsonNode saveAs = payload.get("save_as");
        long maxBytes = payload.path("max_bytes").asLong(saveAs == null ? MAX_INLINE_BYTES : DEFAULT_MAX_SAVED_BYTES);
        Duration timeout = timeout(payload, context.deadline());
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(payload)).timeout(timeout);
        JsonNode headers = payload.get("headers");
        if (headers != null && headers.isObject()) {
            headers.properties()
                    .forEach(e -> builder.header(e.getKey(), e.getValue().asText()));
        }
        if (method(payload).equals("POST")) {
            JsonNode body = payload.get("body");
            String text = body == null ? "" : body.isTextual() ? body.asText() : body.toString();
            builder.POST(HttpRequest.BodyPublishers.ofString(text));
        } else {
            builder.GET();
        }
        HttpResponse<InputStream> response;
        try {
            response = client.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new ExecutorException(
                    ErrorCode.TIMEOUT, "http: no response within " + timeout.toMillis() + " ms", true, e);
        } catch (IOException e) {
            throw new ExecutorException(ErrorCode.EXECUTOR_ERROR, "http: request failed: " + e.getMessage(), true, e);
        }
        ObjectNode result = Json.mapper().createObjectNode().put("status", response.statusCode());
        ObjectNode headerNode = result.putObject("headers");
        response.headers().map().forEach((k, v) -> headerNode.put(k, String.join(", ", v)));
        try (InputStream in = response.body()) {
            if (saveAs != null) {
                Path file = context.workDir().resolve(saveAs.asText());
                Saved saved = save(in, file, maxBytes);
                result.put("file", file.toAbsolutePath().toString())
                        .put("size", saved.size())
                        .put("sha256", saved.sha256());
            } else {
                byte[] body = readBounded(in, maxBytes);
                try {
                    result.put(
                            "body",
                            StandardCharsets.UTF_8
                                    .newDecoder()
                                    .decode(java.nio.ByteBuffer.wrap(body))
                                    .toString());
                } catch (CharacterCodingException e) {
                    result.put("body_base64", Base64.getEncoder().encodeToString(body));
                }
            }
        }
        return ExecutionResult.of(result);
    }

    private static Duration timeout(JsonNode payload, Instant deadline) {
        long ms = payload.path("timeout_ms").asLong(DEFAULT_TIMEOUT_MS);
        if (deadline != null) {
            ms = Math.min(
                    ms, Math.max(1, Duration.between(Instant.now(), deadline).toMillis()));
        }
        return Duration.ofMillis(Math.max(1, ms));
    }

    private static byte[] readBounded(InputStream in, long maxBytes) throws IOException, ExecutorException {
        byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        if (body.length > maxBytes) {
            throw tooLarge(maxBytes);
        }
        return body;
    }

    private static Saved save(InputStream in, Path file, long maxBytes)
            throws IOException, ExecutorException, NoSuchAlgorithmException {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        long size = 0;
        byte[] buffer = new byte[65_536];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                size += n;
                if (size > maxBytes) {
                    throw tooLarge(maxBytes);
                }
                sha.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
        } catch (ExecutorException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        return new Saved(size, HexFormat.of().formatHex(sha.digest()));
    }

    private static ExecutorException tooLarge(long maxBytes) {
        return new ExecutorException(
                ErrorCode.EXECUTOR_ERROR,
                "http: response body is larger than max_bytes " + maxBytes
                        + "; raise max_bytes, or use save_as to save it to a file",
                false);
    }

    private record Saved(long size, String sha256) {}
}
