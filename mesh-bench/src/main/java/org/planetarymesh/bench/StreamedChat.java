package org.planetarymesh.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.planetarymesh.core.json.Json;

/**
 * One streamed OpenAI chat request as a client times it: from sending to the first text delta (time to first
 * token) and to the last, and the completion tokens its usage chunk reports. The same code times the backend directly
 * and through the mesh's gateway, so the two differ only in the path.
 */
final class StreamedChat {

    /** What one request measured: milliseconds to the first token, tokens per second after it, tokens generated. */
    record Timing(double ttftMillis, double tokensPerSecond, int completionTokens) {}

    private final HttpClient http;

    StreamedChat(HttpClient http) {
        this.http = http;
    }

    /** Sends {@code body} to {@code baseUrl}{@code /v1/chat/completions} with {@code token}, reads the stream to its end. */
    Timing run(String baseUrl, String token, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/v1/chat/completions"))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofMinutes(2))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        long sent = System.nanoTime();
        HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        long first = 0;
        long last = 0;
        int tokens = 0;
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            if (response.statusCode() != 200) {
                throw new IllegalStateException(
                        baseUrl + " answered " + response.statusCode() + ": " + reader.readLine());
            }
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.startsWith("data: ") || line.equals("data: [DONE]")) {
                    continue;
                }
                JsonNode chunk = Json.mapper().readTree(line.substring(6));
                if (!chunk.at("/choices/0/delta/content").asText("").isEmpty()) {
                    last = System.nanoTime();
                    first = first == 0 ? last : first;
                }
                if (chunk.path("usage").isObject()) {
                    tokens = chunk.path("usage").path("completion_tokens").asInt();
                }
            }
        }
        if (first == 0) {
            throw new IllegalStateException(baseUrl + " streamed no text");
        }
        double generating = (last - first) / 1e9;
        double perSecond = tokens > 1 && generating > 0 ? (tokens - 1) / generating : Double.NaN;
        return new Timing((first - sent) / 1e6, perSecond, tokens);
    }
}
