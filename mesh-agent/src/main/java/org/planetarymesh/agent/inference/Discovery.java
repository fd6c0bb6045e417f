package org.planetarymesh.agent.inference;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@link ModelTable} current: probes the configured backends and the usual local ports (all at once, each
 * bounded by the probe timeout) at start and then every refresh interval, and logs what changed.
 */
final class Discovery implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Discovery.class);

    private final InferenceSettings settings;
    private final BackendProbe probe;
    private final AtomicReference<ModelTable> table = new AtomicReference<>(ModelTable.EMPTY);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("inference-discovery").factory());

    Discovery(InferenceSettings settings, BackendProbe probe) {
        this.settings = settings;
        this.probe = probe;
    }

    /** Probes once now, then every refresh interval in the background. */
    void start() {
        refresh();
        long every = settings.refreshInterval().toMillis();
        timer.scheduleWithFixedDelay(this::refreshQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    /** The table as of the last probe. */
    ModelTable table() {
        return table.get();
    }

    /** Probes every candidate now and replaces the table. */
    void refresh() {
        List<Candidate> candidates = candidates();
        List<BackendProbe.Found> found = new ArrayList<>();
        try (ExecutorService probes = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Optional<BackendProbe.Found>>> answers = new ArrayList<>();
            for (Candidate c : candidates) {
                answers.add(probes.submit(() -> probe.probe(c.url(), c.configured(), c.apiKey())));
            }
            for (Future<Optional<BackendProbe.Found>> answer : answers) {
                answer.get().ifPresent(found::add);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (ExecutionException e) {
            LOG.warn("inference discovery failed", e.getCause());
            return;
        }
        ModelTable next = ModelTable.of(found);
        ModelTable previous = table.getAndSet(next);
        if (!previous.states().equals(next.states())) {
            LOG.info(
                    "inference models: {} (backends: {})",
                    next.states().isEmpty() ? "none" : next.states(),
                    found.stream().map(f -> f.backend().label()).toList());
        }
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            LOG.warn("inference discovery failed", e);
        }
    }

    private record Candidate(URI url, boolean configured, String apiKey) {}

    /** The configured backends, then the local ports none of them is on. */
    private List<Candidate> candidates() {
        List<Candidate> candidates = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (URI url : settings.backends()) {
            candidates.add(new Candidate(url, true, settings.apiKey()));
            seen.add(url.getHost() + ":" + port(url));
        }
        if (settings.discover()) {
            for (int port : settings.discoverPorts()) {
                if (seen.add(settings.discoverHost() + ":" + port)) {
                    candidates.add(new Candidate(
                            URI.create("http://" + host(settings.discoverHost()) + ":" + port), false, null));
                }
            }
        }
        return candidates;
    }

    private static String host(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static int port(URI url) {
        return url.getPort() >= 0 ? url.getPort() : url.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
