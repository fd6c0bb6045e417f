package org.planetarymesh.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobEvent;
import org.planetarymesh.core.json.Json;

/**
 * A real HTTP server on 127.0.0.1 answering the few API routes the CLI tests need with canned jobs and event
 * streams. It checks the CLI's wiring (arguments to requests, answers to output and exit codes); the CLI against the
 * real coordinator is tested in mesh-it.
 */
final class FakeCoordinator implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, String> answers = new ConcurrentHashMap<>();

    FakeCoordinator() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    /** Answers {@code GET/POST path} with {@code json} (status 200, or 201 for a POST). */
    FakeCoordinator answer(String path, Object json) {
        answers.put(path, json instanceof String s ? s : write(json));
        return this;
    }

    /** Serves {@code events} as the job's SSE stream. */
    FakeCoordinator events(String jobId, JobEvent... events) {
        StringBuilder stream = new StringBuilder();
        for (JobEvent e : events) {
            stream.append("id: ")
                    .append(e.seq())
                    .append("\nevent: ")
                    .append(e.kind().sseName())
                    .append("\ndata: ")
                    .append(write(e))
                    .append("\n\n");
        }
        answers.put("/v1/jobs/" + jobId + "/events", stream.toString());
        return this;
    }

    /** Makes {@code POST /v1/jobs} return {@code submitted}, and {@code GET} of it return {@code finished}. */
    FakeCoordinator job(Job submitted, Job finished) {
        answers.put("POST /v1/jobs", write(submitted));
        return answer("/v1/jobs/" + submitted.id(), finished);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            boolean post = exchange.getRequestMethod().equals("POST");
            String body = answers.getOrDefault(post ? "POST " + path : path, answers.get(path));
            if (body == null) {
                body = "{\"error\": {\"code\": \"not_found\", \"message\": \"no route " + path + "\"}}";
                send(exchange, 404, "application/json", body);
            } else if (path.endsWith("/events")) {
                send(exchange, 200, "text/event-stream", body);
            } else {
                send(exchange, post && path.equals("/v1/jobs") ? 201 : 200, "application/json", body);
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String write(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
