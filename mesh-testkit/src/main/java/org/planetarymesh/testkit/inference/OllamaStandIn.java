package org.planetarymesh.testkit.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.planetarymesh.core.json.Json;

/**
 * A stand-in for Ollama (which cannot run here) on a loopback port, following its documented API: {@code GET
 * /api/tags} (the models it has), {@code GET /api/ps} (the ones loaded in memory), {@code GET /api/version} and
 * {@code POST /api/chat}, which streams newline-delimited JSON objects, one per token ({@code message.content}),
 * ending with one whose {@code done} is true and which carries {@code done_reason}, {@code prompt_eval_count} and
 * {@code eval_count}; {@code "stream": false} answers one object. An unknown model is 404 {@code {"error"}}, as
 * Ollama answers. It replies with a fixed text, word by word, waiting {@link #tokenDelay} between words, and records
 * whether a client hung up in the middle of a stream ({@link #streamsAbortedByClient()}).
 */
public final class OllamaStandIn implements AutoCloseable {
    /** The words of every reply: once, or repeated to exactly {@code options.num_predict} words. */
    public static final List<String> REPLY =
            List.of("The", " mesh", " relays", " every", " token", " in", " order", ".");

    private final HttpServer server;
    private final Map<String, Boolean> models = new ConcurrentHashMap<>();
    private final List<JsonNode> chatRequests = new CopyOnWriteArrayList<>();
    private final AtomicInteger aborted = new AtomicInteger();
    private final AtomicInteger completed = new AtomicInteger();
    private volatile Duration tokenDelay = Duration.ZERO;
    private volatile String apiKey;

    private OllamaStandIn(HttpServer server) {
        this.server = server;
    }

    /** Starts on a free loopback port with {@code loaded} models in memory and {@code unloaded} ones on disk only. */
    public static OllamaStandIn start(List<String> loaded, List<String> unloaded) {
        return start(0, loaded, unloaded);
    }

    /** As {@link #start(List, List)} on {@code port} (0: a free one), e.g. where an agent's discovery will look. */
    public static OllamaStandIn start(int port, List<String> loaded, List<String> unloaded) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
            OllamaStandIn ollama = new OllamaStandIn(server);
            loaded.forEach(m -> ollama.models.put(m, true));
            unloaded.forEach(m -> ollama.models.put(m, false));
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/", ollama::handle);
            server.start();
            return ollama;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** Its port. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Waits this long before each streamed word after the first. */
    public void tokenDelay(Duration delay) {
        this.tokenDelay = delay;
    }

    /** Requires {@code Authorization: Bearer key} on every request (401 otherwise), as a proxy in front may; null: none. */
    public void requireApiKey(String key) {
        this.apiKey = key;
    }

    /** Deletes {@code model}, as {@code ollama rm} does: listings leave it out and a chat for it is 404. */
    public void forget(String model) {
        models.remove(model);
    }

    /** The bodies of the {@code /api/chat} requests so far. */
    public List<JsonNode> chatRequests() {
        return List.copyOf(chatRequests);
    }

    /** Streams the client hung up on before their end. */
    public int streamsAbortedByClient() {
        return aborted.get();
    }

    /** Streams sent to their end. */
    public int streamsCompleted() {
        return completed.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String key = apiKey;
            if (key != null
                    && !("Bearer " + key).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                send(exchange, 401, Json.mapper().createObjectNode().put("error", "unauthorized"));
                return;
            }
            String route =
                    exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
            switch (route) {
                case "GET /api/tags" -> send(exchange, 200, tags(false));
                case "GET /api/ps" -> send(exchange, 200, tags(true));
                case "GET /api/version" ->
                    send(exchange, 200, Json.mapper().createObjectNode().put("version", "0.12.6"));
                case "POST /api/chat" -> chat(exchange);
                default -> send(exchange, 404, Json.mapper().createObjectNode().put("error", "404 page not found"));
            }
        }
    }

    private ObjectNode tags(boolean loadedOnly) {
        ObjectNode body = Json.mapper().createObjectNode();
        ArrayNode list = body.putArray("models");
        models.forEach((name, loaded) -> {
            if (!loadedOnly || loaded) {
                ObjectNode model = list.addObject()
                        .put("name", name)
                        .put("model", name)
                        .put("modified_at", "2026-12-01T10:00:00Z")
                        .put("size", 637_700_138L)
                        .put("digest", Integer.toHexString(name.hashCode()));
                model.putObject("details")
                        .put("format", "gguf")
                        .put("family", "llama")
                        .put("parameter_size", "1B")
                        .put("quantization_level", "Q4_0");
                if (loadedOnly) {
                    model.put("expires_at", Instant.now().plusSeconds(300).toString());
                    model.put("size_vram", 0);
                }
            }
        });
        return body;
    }

    private void chat(HttpExchange exchange) throws IOException {
        JsonNode request = Json.mapper().readTree(exchange.getRequestBody());
        chatRequests.add(request);
        String named = request.path("model").asText("");
        // Ollama reads a name without a tag as the ":latest" one.
        String model = named.contains(":") ? named : named + ":latest";
        if (!models.containsKey(model)) {
            send(
                    exchange,
                    404,
                    Json.mapper()
                            .createObjectNode()
                            .put("error", "model '" + named + "' not found, try pulling it first"));
            return;
        }
        models.put(model, true); // a chat loads the model, as Ollama does
        // Without num_predict the reply is REPLY once and ends as "stop"; with it, exactly that many words ("length").
        int wanted = request.path("options").path("num_predict").asInt(0);
        int count = wanted <= 0 ? REPLY.size() : wanted;
        String doneReason = wanted <= 0 ? "stop" : "length";
        long promptTokens = promptTokens(request);
        if (!request.path("stream").asBoolean(true)) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < count; i++) {
                text.append(REPLY.get(i % REPLY.size()));
            }
            ObjectNode done = last(model, count, promptTokens, doneReason);
            done.putObject("message").put("role", "assistant").put("content", text.toString());
            send(exchange, 200, done);
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", "application/x-ndjson");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        try {
            for (int i = 0; i < count; i++) {
                if (i > 0 && !tokenDelay.isZero()) {
                    LockSupport.parkNanos(tokenDelay.toNanos());
                }
                ObjectNode line = Json.mapper()
                        .createObjectNode()
                        .put("model", model)
                        .put("created_at", Instant.now().toString())
                        .put("done", false);
                line.putObject("message").put("role", "assistant").put("content", REPLY.get(i % REPLY.size()));
                writeLine(out, line);
            }
            ObjectNode done = last(model, count, promptTokens, doneReason);
            done.putObject("message").put("role", "assistant").put("content", "");
            writeLine(out, done);
            out.close();
            completed.incrementAndGet();
        } catch (IOException e) {
            aborted.incrementAndGet();
        }
    }

    private static ObjectNode last(String model, int count, long promptTokens, String doneReason) {
        return Json.mapper()
                .createObjectNode()
                .put("model", model)
                .put("created_at", Instant.now().toString())
                .put("done", true)
                .put("done_reason", doneReason)
                .put("total_duration", 1_000_000L * count)
                .put("load_duration", 1_000L)
                .put("prompt_eval_count", promptTokens)
                .put("prompt_eval_duration", 100_000L)
                .put("eval_count", count)
                .put("eval_duration", 900_000L * count);
    }

    /** One "token" per whitespace-separated word of the messages, plus two per message for its role markers. */
    static long promptTokens(JsonNode request) {
        long tokens = 0;
        for (JsonNode message : request.path("messages")) {
            String content = message.path("content").asText("").strip();
            tokens += 2 + (content.isEmpty() ? 0 : content.split("\\s+").length);
        }
        return tokens;
    }

    private static void writeLine(OutputStream out, JsonNode line) throws IOException {
        out.write(Json.mapper().writeValueAsBytes(line));
        out.write('\n');
        out.flush();
    }

    private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = Json.mapper().writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
