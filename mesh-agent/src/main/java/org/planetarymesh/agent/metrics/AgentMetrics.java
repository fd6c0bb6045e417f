package org.planetarymesh.agent.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.planetarymesh.agent.runner.ExecutionObserver;
import org.planetarymesh.agent.runner.Outcome;

/**
 * The agent's Prometheus meters: attempts each executor finished (by outcome) and how long they ran, the attempts
 * running now and the agent's capacity, plus the JVM's own. The runner tells it of each attempt's end
 * ({@link ExecutionObserver}): a map lookup, a counter and a histogram, no allocation once an executor has been seen.
 */
public final class AgentMetrics implements ExecutionObserver, AutoCloseable {

    /** Text format 0.0.4, what {@code promtool check metrics} and every Prometheus server read. */
    public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    /** OpenMetrics, for a scraper that asks for it. */
    public static final String OPEN_METRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private static final Duration[] BUCKETS = {
        Duration.ofNanos(100_000), Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1),
        Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofHours(1)
    };
    // Two of Micrometer's processor meters fail promtool's lint (an abbreviated unit, a gauge named *_count).
    private static final Set<String> LINT_FAILURES = Set.of("process.cpu.time", "system.cpu.count");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, ExecutorMeters> byExecutor = new ConcurrentHashMap<>();
    private final JvmGcMetrics gc = new JvmGcMetrics();

    /** The agent's meters; {@code capacity} is the most attempts it runs at once. */
    public AgentMetrics(int capacity) {
        registry.config().meterFilter(MeterFilter.deny(id -> LINT_FAILURES.contains(id.getName())));
        Gauge.builder("mesh.agent.jobs.capacity", () -> capacity)
                .description("Attempts this agent runs at most at once (max_concurrent)")
                .register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        gc.bindTo(registry);
    }

    /** Reads the attempts running now from {@code running} at each scrape (the runner's own count). */
    public void watchRunning(IntSupplier running) {
        Gauge.builder("mesh.agent.jobs.running", running, IntSupplier::getAsInt)
                .description("Attempts running on this agent now")
                .strongReference(true)
                .register(registry);
    }

    /** Registers an executor's meters at zero, so a scrape lists every installed executor before it ran anything. */
    public void expect(Iterable<String> executors) {
        executors.forEach(this::meters);
    }

    @Override
    public void finished(String executor, Outcome outcome) {
        ExecutorMeters meters = meters(executor);
        long durationMs = switch (outcome) {
            case Outcome.Done done -> {
                meters.ok.increment();
                yield done.durationMs();
            }
            case Outcome.Failed failed -> {
                meters.failed.increment();
                yield failed.durationMs();
            }
        };
        meters.duration.record(durationMs, TimeUnit.MILLISECONDS);
    }

    /** Writes a scrape in {@code contentType} ({@link #PROMETHEUS_TEXT} or {@link #OPEN_METRICS}). */
    public void scrape(OutputStream out, String contentType) throws IOException {
        registry.scrape(out, contentType);
    }

    private ExecutorMeters meters(String executor) {
        ExecutorMeters meters = byExecutor.get(executor);
        return meters != null ? meters : byExecutor.computeIfAbsent(executor, e -> new ExecutorMeters(e, registry));
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }

    /** One executor's meters. */
    private static final class ExecutorMeters {
        final Counter ok;
        final Counter failed;
        final Timer duration;

        ExecutorMeters(String executor, PrometheusMeterRegistry registry) {
            String description = "Attempts this agent's executors finished, by executor and outcome (ok, failed:"
                    + " an error, a timeout, a cancel or a stop)";
            this.ok = Counter.builder("mesh.agent.executions")
                    .description(description)
                    .tag("executor", executor)
                    .tag("outcome", "ok")
                    .register(registry);
            this.failed = Counter.builder("mesh.agent.executions")
                    .description(description)
                    .tag("executor", executor)
                    .tag("outcome", "failed")
                    .register(registry);
            this.duration = Timer.builder("mesh.agent.execution.duration")
                    .description("How long attempts ran on this agent, by executor (measured by the runner)")
                    .tag("executor", executor)
                    .serviceLevelObjectives(BUCKETS)
                    .register(registry);
        }
    }
}
