package org.planetarymesh.agent.federation;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.planetarymesh.core.job.JobEvent;
import org.planetarymesh.core.json.Json;

/** The REST API of the mesh behind a peer link: its nodes, submitting a job, following its events, cancelling it. */
final class PeerMeshApi {

    private static final Duration CALL = Duration.ofSeconds(10);

    private final String base;
    private final String token;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    PeerMeshApi(String base, String token) {
        this.base = base;
        this.token = token;
    }

    String base() {
        return base;
    }

    /** The mesh refused a call with an HTTP status and its error code and message. */
    static final class Refused extends Exception {
        final int status;
        final String code;

        Refused(int status, String code, String message) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
        }
    }

    /** {@code GET /v1/nodes}: the nodes of the mesh behind. */
    JsonNode nodes() throws IOException, Refused {
        return call(request("/v1/nodes").GET().build());
    }

    /** Whether the mesh's coordinator answers its health check within a second. */
    boolean reachable() {
        try {
            HttpResponse<Void> r = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/healthz"))
                            .timeout(Duration.ofSeconds(1))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@code POST /v1/jobs} with an idempotency key: the job's id there (the same job if the key was used). */
    String submit(JsonNode spec, String idempotencyKey) throws IOException, Refused {
        JsonNode job = call(request("/v1/jobs")
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(spec.toString()))
                .build());
        return job.path("id").asText();
    }

    /** {@code POST /v1/jobs/{id}/cancel}; a failure is ignored (the job may have ended). */
    void cancel(String jobId) {
        try {
            http.send(
                    request("/v1/jobs/" + jobId + "/cancel")
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            // the mesh is gone or the job ended: nothing left to cancel
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Follows {@code GET /v1/jobs/{id}/events} until its {@code end} event, handing each event to {@code onEvent};
     * returns the end event. {@code open} receives the stream so a cancel can close it.
     */
    JobEvent follow(String jobId, Consumer<JobEvent> onEvent, AtomicReference<Stream<String>> open)
            throws IOException, InterruptedException {
        HttpResponse<Stream<String>> response =
                http.send(request("/v1/jobs/" + jobId + "/events").GET().build(), HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() != 200) {
            throw new IOException("events of job " + jobId + " answered " + response.statusCode());
        }
        try (Stream<String> lines = response.body()) {
            open.set(lines);
            StringBuilder data = new StringBuilder();
            for (var it = lines.iterator(); it.hasNext(); ) {
                String line = it.next();
                if (line.startsWith("data:")) {
                    data.append(line.substring(5).strip());
                } else if (line.isEmpty() && !data.isEmpty()) {
                    JobEvent event = Json.mapper().readValue(data.toString(), JobEvent.class);
                    data.setLength(0);
                    if (event.kind() == JobEvent.Kind.END) {
                        return event;
                    }
                    onEvent.accept(event);
                }
            }
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
        throw new IOException("the event stream of job " + jobId + " on " + base + " ended before the job did");
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(CALL).header("Authorization", "Bearer " + token);
    }

    private JsonNode call(HttpRequest request) throws IOException, Refused {
        HttpResponse<String> r;
        try {
            r = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        JsonNode body = r.body().isBlank()
                ? Json.mapper().createObjectNode()
                : Json.mapper().readTree(r.body());
        if (r.statusCode() >= 400) {
            JsonNode error = body.path("error");
            throw new Refused(
                    r.statusCode(),
                    error.path("code").asText("http_" + r.statusCode()),
                    error.path("message").asText(r.body()));
        }
        return body;
    }
}
