package org.planetarymesh.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.planetarymesh.core.job.SpecDefaultsLeftOut;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.core.net.CoordinatorUrls;

/**
 * {@link MeshClient}'s HTTP plumbing: builds authorised requests, sends them, decodes answers into the project's
 * records, and turns every failure into a {@link MeshClientException} (an error answer through
 * {@link ErrorResponses}, no answer as {@link MeshUnavailableException}).
 */
final class Transport {

    /** The header a standby coordinator names the leader in. */
    private static final String LEADER_HEADER = "X-Mesh-Leader";

    private final MeshClientOptions options;
    private final CoordinatorUrls coordinators;
    private final HttpClient http;
    private final ObjectMapper json = Json.mapper();

    Transport(MeshClientOptions options) {
        this.options = options;
        this.coordinators = CoordinatorUrls.parse(options.url());
        // HTTP/1.1: the JDK's default h2c upgrade attempt buys nothing on a LAN and confuses some SSE proxies.
        // Its tasks run on its selector thread, not a pool: every call here is a synchronous send with one of the
        // JDK's own body handlers, which never block, so a response reaches the caller with one thread hop less.
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(options.connectTimeout())
                .executor(Runnable::run);
        javax.net.ssl.SSLContext ssl = options.sslContext();
        if (ssl != null) {
            builder.sslContext(ssl);
        }
        this.http = builder.build();
    }

    /** A JSON request to {@code path}, authorised, bounded by the request timeout. */
    HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path))
                .timeout(options.requestTimeout())
                .header("Accept", "application/json");
        authorize(builder);
        return builder;
    }

    /** Opens an event stream at {@code path}; its body once the answer is a 200, else the answer's exception. */
    InputStream openStream(String path, long afterSeq) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .header("Accept", "text/event-stream")
                // Bounds only the wait for the response headers: the JDK does not time out a body being read.
                .timeout(options.requestTimeout())
                .GET();
        authorize(request);
        if (afterSeq > 0) {
            request.header("Last-Event-ID", Long.toString(afterSeq));
        }
        HttpResponse<InputStream> answer = exchange(request, HttpResponse.BodyHandlers.ofInputStream());
        if (answer.statusCode() != 200) {
            throw ErrorResponses.toException(answer.statusCode(), drain(answer.body()));
        }
        return answer.body();
    }

    /** Whether the coordinator answers {@code GET /healthz} with 200. Never throws. */
    boolean healthy() {
        try {
            HttpResponse<Void> answer = http.send(
                    HttpRequest.newBuilder(uri("/healthz"))
                            .timeout(options.requestTimeout())
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            return answer.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A request body; specs in it leave their defaults out, which the coordinator's parser restores. */
    HttpRequest.BodyPublisher jsonBody(Object value) {
        try {
            return HttpRequest.BodyPublishers.ofByteArray(
                    SpecDefaultsLeftOut.mapper().writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode request body: " + e.getOriginalMessage(), e);
        }
    }

    /** Sends {@code request} and reads a 2xx answer as {@code type}; any other answer is thrown as its exception. */
    <T> T send(HttpRequest.Builder request, Class<T> type) {
        HttpResponse<String> answer = exchange(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        int status = answer.statusCode();
        if (status < 200 || status > 299) {
            throw ErrorResponses.toException(status, answer.body());
        }
        try {
            return json.readValue(answer.body(), type);
        } catch (JsonProcessingException e) {
            throw new MeshClientException(
                    "bad_response",
                    status,
                    "unreadable answer from " + request.build().uri().getPath() + ": " + e.getOriginalMessage(),
                    List.of(),
                    e);
        }
    }

    /** Sends {@code request} and answers whatever came back, status and all (a 402 is an answer to act on). */
    HttpResponse<String> sendRaw(HttpRequest.Builder request) {
        return exchange(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** Sends {@code request}, which answers 204 with no body; any other answer is thrown as its exception. */
    void sendNoContent(HttpRequest.Builder request) {
        HttpResponse<String> answer = exchange(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        int status = answer.statusCode();
        if (status < 200 || status > 299) {
            throw ErrorResponses.toException(status, answer.body());
        }
    }

    /** A part of an answer read as {@code type}; a missing part reads as an empty array. */
    <T> T convert(JsonNode node, JavaType type) {
        try {
            return json.treeToValue(node.isMissingNode() ? json.createArrayNode() : node, type);
        } catch (JsonProcessingException e) {
            throw new MeshClientException(
                    "bad_response", 200, "unreadable answer: " + e.getOriginalMessage(), List.of(), e);
        }
    }

    /** The type of one {@code element}. */
    JavaType type(Class<?> element) {
        return json.constructType(element);
    }

    /** The type of a list of {@code element}. */
    JavaType listOf(Class<?> element) {
        return json.getTypeFactory().constructCollectionType(List.class, element);
    }

    /** Stops the HTTP client at once. */
    void close() {
        // shutdownNow, not close: close() would wait for event streams another thread may still be reading.
        http.shutdownNow();
    }

    /** {@code segment} as one URL path segment. */
    static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * Sends {@code request} to the current coordinator. With several, one that cannot be connected to, or that is a
     * standby without a leader to name ({@code 503 not_leader}), is passed over for the next; a standby's redirect
     * ({@code 307} with {@code X-Mesh-Leader}) is followed to the leader. Only requests no coordinator read are sent
     * again, so nothing is done twice.
     */
    private <T> HttpResponse<T> exchange(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler) {
        HttpRequest built = request.build();
        int tries = coordinators.size() + 1; // each coordinator once, and the leader a standby names
        for (int attempt = 1; ; attempt++) {
            String base = baseOf(built.uri());
            boolean more = attempt < tries;
            try {
                HttpResponse<T> answer = http.send(built, handler);
                String leader = answer.headers().firstValue(LEADER_HEADER).orElse(null);
                if (more && answer.statusCode() == 307 && leader != null) {
                    discard(answer);
                    coordinators.leaderIs(leader);
                } else if (more && answer.statusCode() == 503 && coordinators.size() > 1 && isStandby(answer)) {
                    discard(answer);
                    coordinators.failed(base);
                } else {
                    return answer;
                }
            } catch (HttpConnectTimeoutException | ConnectException e) {
                coordinators.failed(base);
                if (!more) {
                    throw e instanceof HttpConnectTimeoutException
                            ? unavailable("could not connect to " + base + " within " + options.connectTimeout(), e)
                            : unavailable("cannot reach the coordinator at " + base + " (is it running?)", e);
                }
            } catch (HttpTimeoutException e) {
                coordinators.failed(base); // paused or overloaded: the next request asks another (it may redirect back)
                throw unavailable(base + " did not answer within " + options.requestTimeout(), e);
            } catch (IOException e) {
                coordinators.failed(base); // the next request goes elsewhere; this one may have been read: no resend
                throw unavailable("lost the connection to " + base + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MeshClientException("interrupted", 0, "interrupted while talking to " + base, List.of(), e);
            }
            built = HttpRequest.newBuilder(built, (name, value) -> true)
                    .uri(URI.create(
                            coordinators.current() + built.uri().toString().substring(base.length())))
                    .build();
        }
    }

    /** Which of the coordinators {@code uri} was made for (its base URL). */
    private String baseOf(URI uri) {
        String text = uri.toString();
        String current = coordinators.current();
        if (text.startsWith(current)) {
            return current;
        }
        for (String url : coordinators.all()) {
            if (text.startsWith(url + "/") || text.equals(url)) {
                return url;
            }
        }
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    /** Whether a 503 came from a standby coordinator (error code {@code not_leader}) rather than a store outage. */
    private static boolean isStandby(HttpResponse<?> answer) {
        Object body = answer.body();
        return body instanceof String text && text.contains("\"not_leader\"");
    }

    private static void discard(HttpResponse<?> answer) {
        if (answer.body() instanceof InputStream in) {
            try {
                in.close();
            } catch (IOException e) {
                // an answer not read
            }
        }
    }

    private void authorize(HttpRequest.Builder builder) {
        if (options.token() != null && !options.token().isBlank()) {
            builder.header("Authorization", "Bearer " + options.token().strip());
        }
    }

    private URI uri(String path) {
        return URI.create(coordinators.current() + path);
    }

    private static MeshUnavailableException unavailable(String message, Throwable cause) {
        return new MeshUnavailableException("unavailable", 0, message, List.of(), cause);
    }

    private static String drain(InputStream body) {
        try (body) {
            // An error answer is small; cap what is read so a misrouted stream cannot hold the caller.
            return new String(body.readNBytes(64 * 1024), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
