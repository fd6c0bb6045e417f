package org.planetarymesh.coordinator.stats;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.node.NodeStatus;

/**
 * The coordinator's Prometheus meters: one registry holding the histograms recorded as things happen ({@link JobFlow},
 * {@link StoreCommits}) and gauges that read {@link MeshStats} when scraped, plus the JVM's own. Serve it with
 * {@link MetricsEndpoint}.
 */
public final class MeshMetrics implements AutoCloseable {

    private static final java.util.Set<String> LINT_FAILURES = java.util.Set.of("process.cpu.time", "system.cpu.count");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JobFlow flow;
    private final StoreCommits commits;
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public MeshMetrics() {
        // Two of Micrometer's processor meters fail promtool's lint (an abbreviated unit, a gauge named *_count); the
        // rest of ProcessorMetrics (CPU usage, load average) is kept.
        registry.config().meterFilter(MeterFilter.deny(id -> LINT_FAILURES.contains(id.getName())));
        this.flow = new JobFlow(registry);
        this.commits = new StoreCommits(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        gc.bindTo(registry);
    }

    /** What the scheduler tells of jobs submitted and ended. */
    public JobFlow jobFlow() {
        return flow;
    }

    /** What the group commit writer tells of each commit. */
    public StoreCommits storeCommits() {
        return commits;
    }

    /** The registry {@code /metrics} scrapes. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Registers the gauges that read {@code stats} at each scrape. */
    public void bind(MeshStats stats) {
        for (JobStatus status : JobStatus.values()) {
            Gauge.builder("mesh.jobs", stats, s -> s.jobs(status))
                    .description("Jobs in each status now, as GET /v1/stats counts them (ended jobs included)")
                    .tag("status", status.name())
                    .strongReference(true)
                    .register(registry);
        }
        Gauge.builder("mesh.queue.depth", stats, MeshStats::queueDepth)
                .description("Jobs ready to run and waiting for a node (status QUEUED)")
                .strongReference(true)
                .register(registry);
        for (NodeStatus status : NodeStatus.values()) {
            Gauge.builder("mesh.nodes", stats, s -> s.nodes(status))
                    .description("Nodes the coordinator knows, by status")
                    .tag("status", status.name())
                    .strongReference(true)
                    .register(registry);
        }
        Gauge.builder("mesh.agent.links", stats, MeshStats::openLinks)
                .description("Agent WebSocket links open now")
                .strongReference(true)
                .register(registry);
        Gauge.builder("mesh.event.streams", stats, MeshStats::openEventStreams)
                .description("Server-sent event streams following jobs live now (single jobs' and mesh-wide)")
                .strongReference(true)
                .register(registry);
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
