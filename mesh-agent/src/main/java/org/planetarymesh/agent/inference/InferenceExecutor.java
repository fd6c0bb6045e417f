package org.planetarymesh.agent.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import org.planetarymesh.core.node.ModelState;
import org.planetarymesh.executor.ErrorCode;
import org.planetarymesh.executor.ExecutionContext;
import org.planetarymesh.executor.ExecutionRequest;
import org.planetarymesh.executor.ExecutionResult;
import org.planetarymesh.executor.Executor;
import org.planetarymesh.executor.ExecutorConfig;
import org.planetarymesh.executor.ExecutorException;

/**
 * {@code inference}: relays an OpenAI chat request to a local (or configured hosted) model backend and streams the
 * answer back. The payload is the chat request; each piece of the assistant's text is a chunk on stream
 * {@code content} (UTF-8, in order); the result is {@code {model, content, finish_reason, usage: {prompt_tokens,
 * completion_tokens, total_tokens}, ttft_ms, duration_ms, tokens_per_second, backend}} and the job's tokens are the
 * backend's counts. Backends come from the settings and from discovery of the usual local ports ({@link
 * InferenceSettings}); a model goes to its local backend first, and to the next one serving it if that one cannot
 * be reached before any token. At most {@code max_concurrent} jobs run at once: one more is refused
 * {@code out_of_capacity} at once, as is a model no backend here serves ({@code model_not_loaded}).
 */
public final class InferenceExecutor implements Executor, InferenceReport {
    private InferenceSettings settings = InferenceSettings.from(ExecutorConfig.of("inference", java.util.Map.of()));
    private Semaphore slots = new Semaphore(settings.maxConcurrent());
    private final Throughput throughput = new Throughput();
    private HttpClient client;
    private ScheduledExecutorService timer;
    private Discovery discovery;
    private ChatRelay relay;

    @Override
    public String name() {
        return "inference";
    }

    @Override
    public void configure(ExecutorConfig config) {
        settings = InferenceSettings.from(config);
        slots = new Semaphore(settings.maxConcurrent());
    }

    @Override
    public void start() {
        // HTTP/1.1 on purpose: aborting a request then closes its connection, which is how every backend notices a
        // cancelled generation (HTTP/2 would only reset the stream).
        client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
        timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("inference-timeouts").factory());
        relay = new ChatRelay(client, timer, settings.requestTimeout(), settings.streamIntervalMillis());
        discovery = new Discovery(settings, new BackendProbe(client, settings.probeTimeout()));
        discovery.start();
    }

    @Override
    public void check(JsonNode payload) throws ExecutorException {
        String model = ChatPayload.check(payload);
        if (table().backends(model).isEmpty()) {
            throw notLoaded(model);
        }
        if (slots.availablePermits() == 0) {
            throw full();
        }
    }

    @Override
    public ExecutionResult execute(ExecutionRequest request, ExecutionContext context) throws ExecutorException {
        String model = ChatPayload.check(request.payload());
        if (!slots.tryAcquire()) {
            throw full();
        }
        try {
            List<Backend> backends = table().backends(model);
            if (backends.isEmpty()) {
                throw notLoaded(model);
            }
            int maxTokens = ChatPayload.boundedMaxTokens(request.payload(), settings.maxTokens());
            ObjectNode result = relayToFirstReachable(backends, request.payload(), maxTokens, context);
            throughput.record(result.path("tokens_per_second").asDouble(0));
            return ExecutionResult.of(result);
        } finally {
            slots.release();
        }
    }

    private ObjectNode relayToFirstReachable(
            List<Backend> backends, JsonNode payload, int maxTokens, ExecutionContext context)
            throws ExecutorException {
        ChatRelay.NotConnected last = null;
        for (Backend backend : backends) {
            try {
                return relay.relay(backend, payload, maxTokens, context);
            } catch (ChatRelay.NotConnected e) {
                // Nothing reached that backend, so the next one serving the model may take the job.
                if (context.cancelled()) {
                    throw e;
                }
                last = e;
            }
        }
        throw last;
    }

    private ModelTable table() {
        return discovery == null ? ModelTable.EMPTY : discovery.table();
    }

    private ExecutorException notLoaded(String model) {
        return new ExecutorException(
                ErrorCode.MODEL_NOT_LOADED,
                "model '" + model + "' is not served by this agent's backends (it serves " + table().modelIds()
                        + "); load it in a backend, or name its backend with "
                        + "--executor-setting inference.backends=URL",
                false);
    }

    private ExecutorException full() {
        return new ExecutorException(
                ErrorCode.OUT_OF_CAPACITY,
                "this agent is running its maximum of " + settings.maxConcurrent() + " inference jobs",
                true);
    }

    /** Probes the backends again now (tests and operators need not wait for the next refresh). */
    public void refresh() {
        if (discovery != null) {
            discovery.refresh();
        }
    }

    @Override
    public List<ModelState> modelStates() {
        return table().states();
    }

    @Override
    public int maxInference() {
        // No models, no inference capacity: agents without backends advertise nothing.
        return table().states().isEmpty() ? 0 : settings.maxConcurrent();
    }

    @Override
    public double tokensPerSecond() {
        return throughput.perSecond();
    }

    @Override
    public void close() {
        if (discovery != null) {
            discovery.close();
        }
        if (timer != null) {
            timer.shutdownNow();
        }
        if (client != null) {
            client.close();
        }
    }
}
