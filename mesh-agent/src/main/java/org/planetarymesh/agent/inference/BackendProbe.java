package org.planetarymesh.agent.inference;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.core.node.ModelState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks an address what backend answers there and which models it serves: Ollama's {@code GET /api/tags} (and
 * {@code /api/ps} for the loaded ones) first, since Ollama also speaks the OpenAI format but streams natively in its
 * own, then OpenAI's {@code GET /v1/models} (vLLM, llama.cpp, LM Studio, hosted APIs).
 */
final class BackendProbe {
    private static final Logger LOG = LoggerFactory.getLogger(BackendProbe.class);

    /** A backend that answered, with its models. */
    record Found(Backend backend, List<ModelState> models) {}

    private final HttpClient client;
    private final Duration timeout;

    BackendProbe(HttpClient client, Duration timeout) {
        this.client = client;
        this.timeout = timeout;
    }

    /**
     * Probes {@code url}; empty if nothing there speaks either format. A configured backend's failures are logged as
     * warnings (the operator named it), a discovered port's only at debug level (most ports are simply closed).
     */
    Optional<Found> probe(URI url, boolean configured, String apiKey) {
        URI root = root(url);
        try {
            Optional<Found> ollama = ollama(root, configured, apiKey);
            if (ollama.isPresent()) {
                return ollama;
            }
            return openAi(openAiBase(url), configured, apiKey);
        } catch (IOException e) {
            log(configured, "no inference backend answers at {}: {}", url, describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log(configured, "the backend at {} answered something unexpected: {}", url, describe(e));
        }
        return Optional.empty();
    }

    private Optional<Found> ollama(URI root, boolean configured, String apiKey)
            throws IOException, InterruptedException {
        HttpResponse<String> tags = get(URI.create(root + "/api/tags"), apiKey);
        JsonNode list = tags.statusCode() == 200 ? json(tags.body()).path("models") : null;
        if (list == null || !list.isArray()) {
            return Optional.empty();
        }
        Set<String> loaded = new HashSet<>();
        HttpResponse<String> ps = get(URI.create(root + "/api/ps"), apiKey);
        if (ps.statusCode() == 200) {
            json(ps.body())
                    .path("models")
                    .forEach(m -> loaded.add(m.path("name").asText()));
        }
        Backend backend = new Backend(WireFormat.OLLAMA, root, "ollama", configured, configured ? apiKey : null);
        List<ModelState> models = new ArrayList<>();
        for (JsonNode model : list) {
            String name = model.path("name").asText(model.path("model").asText(""));
            if (name.isEmpty()) {
                continue;
            }
            boolean warm = loaded.contains(name);
            models.add(new ModelState(name, warm, backend.label()));
            if (name.endsWith(":latest")) {
                // Clients name Ollama's models without the default tag as often as with it.
                models.add(new ModelState(name.substring(0, name.length() - 7), warm, backend.label()));
            }
        }
        return Optional.of(new Found(backend, List.copyOf(models)));
    }

    private Optional<Found> openAi(URI base, boolean configured, String apiKey)
            throws IOException, InterruptedException {
        HttpResponse<String> response = get(URI.create(base + "/models"), apiKey);
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            log(
                    configured,
                    "the backend at {} refused the agent's API key ({}); its models are not advertised",
                    base,
                    response.statusCode());
            return Optional.empty();
        }
        JsonNode data = response.statusCode() == 200 ? json(response.body()).path("data") : null;
        if (data == null || !data.isArray()) {
            log(configured, "{}/models answered {}, not a model list", base, response.statusCode());
            return Optional.empty();
        }
        Backend backend =
                new Backend(WireFormat.OPENAI, base, product(base, data), configured, configured ? apiKey : null);
        List<ModelState> models = new ArrayList<>();
        for (JsonNode model : data) {
            String id = model.path("id").asText("");
            if (!id.isEmpty()) {
                // llama.cpp's router mode says per model whether it is loaded; the others list what they serve.
                JsonNode status = model.path("status").path("value");
                models.add(new ModelState(
                        id, !status.isTextual() || status.asText().equals("loaded"), backend.label()));
            }
        }
        return Optional.of(new Found(backend, List.copyOf(models)));
    }

    private static String product(URI base, JsonNode data) {
        String owner = data.path(0).path("owned_by").asText("");
        if (owner.equals("vllm")) {
            return "vllm";
        }
        if (owner.equals("llamacpp")) {
            return "llama.cpp";
        }
        if (owner.equals("organization_owner") || base.getPort() == 1234) {
            return "lmstudio";
        }
        return "openai";
    }

    private HttpResponse<String> get(URI uri, String apiKey) throws IOException, InterruptedException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json");
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        return client.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(String body) throws IOException {
        return Json.mapper().readTree(body);
    }

    /** The address without a trailing {@code /v1} or {@code /}: where Ollama's {@code /api/...} would be. */
    static URI root(URI url) {
        String text = url.toString().replaceAll("/+$", "");
        return URI.create(text.endsWith("/v1") ? text.substring(0, text.length() - 3) : text);
    }

    /** The OpenAI base: the URL as given if its path ends in {@code /v1} or has a path of its own, else {@code /v1}. */
    static URI openAiBase(URI url) {
        String text = url.toString().replaceAll("/+$", "");
        String path = URI.create(text).getPath();
        return URI.create(path == null || path.isEmpty() ? text + "/v1" : text);
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static void log(boolean configured, String format, Object... args) {
        if (configured) {
            LOG.warn(format, args);
        } else {
            LOG.debug(format, args);
        }
    }
}
