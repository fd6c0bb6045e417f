package org.planetarymesh.it.agent;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.planetarymesh.core.job.JobSpec;
import org.planetarymesh.core.job.Requirements;
import org.planetarymesh.core.job.RetryPolicy;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.it.MeshProcess;

/** Small builders for job specs and plain HTTP calls the agent tests share. */
public final class Jobs {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Jobs() {}

    /** Parses JSON text (tests write payloads inline). */
    public static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code type}/{@code payload}, at most one attempt, only on nodes carrying {@code labels}. */
    public static JobSpec once(String type, String payload, Map<String, String> labels) {
        return JobSpec.of(type, json(payload))
                .withRetry(new RetryPolicy(1, RetryPolicy.DEFAULT.backoff()))
                .withRequirements(new Requirements(List.of(), null, labels, null));
    }

    /** {@code POST url} with a JSON body; the answer as text. */
    public static HttpResponse<String> post(String url, String body) {
        return send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    /** {@code POST url} with a bearer token. */
    public static HttpResponse<String> post(String url, String token, String body) {
        return send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    /** {@code GET url}. */
    public static HttpResponse<String> get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build());
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The execute token the agent tests give an agent whose local {@code POST /execute} they call. */
    public static final String EXECUTE_TOKEN = "it-execute-token-0123456789abcdef";

    /** {@code POST url} to an agent's local {@code /execute}, bearing {@link #EXECUTE_TOKEN}. */
    public static HttpResponse<String> execute(String url, String body) {
        return post(url, EXECUTE_TOKEN, body);
    }

    /** The local API port an agent printed at start. */
    public static int localApiPort(MeshProcess agent) {
        return Integer.parseInt(agent.awaitLog("local API on http://127\\.0\\.0\\.1:(\\d+)", Duration.ofSeconds(30)));
    }
}
