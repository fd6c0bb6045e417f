package org.planetarymesh.coordinator.stats;

import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntSupplier;
import org.planetarymesh.coordinator.events.JobEventHub;
import org.planetarymesh.coordinator.scheduler.Scheduler;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.job.Scope;
import org.planetarymesh.core.node.NodeInfo;
import org.planetarymesh.core.node.NodeStatus;

/**
 * The one place the mesh's figures are read from: {@code GET /v1/stats}, the Prometheus meters of {@code /metrics}
 * ({@link MeshMetrics}) and the dashboard all ask this class, so they cannot disagree. Every figure comes from state
 * the coordinator keeps anyway (the scheduler's per-status counters and node view, {@link JobFlow}, the gateway's
 * links, the event hub's subscriptions, {@link StoreCommits}); reading one costs no query and no lock.
 */
public final class MeshStats {

    private final Scheduler scheduler;
    private final JobFlow flow;
    private final StoreCommits commits;
    private final IntSupplier openLinks;
    private final JobEventHub hub;

    public MeshStats(Scheduler scheduler, JobFlow flow, StoreCommits commits, IntSupplier openLinks, JobEventHub hub) {
        this.scheduler = scheduler;
        this.flow = flow;
        this.commits = commits;
        this.openLinks = openLinks;
        this.hub = hub;
    }

    /** Jobs in {@code status} now (every job the store holds, ended ones included). */
    public long jobs(JobStatus status) {
        return scheduler.jobCounts().get(status);
    }

    /** Jobs ready to run and waiting for a node: those QUEUED. */
    public long queueDepth() {
        return jobs(JobStatus.QUEUED);
    }

    /** Nodes the coordinator knows in {@code status}. */
    public long nodes(NodeStatus status) {
        long n = 0;
        for (NodeInfo node : scheduler.nodes()) {
            if (node.status() == status) {
                n++;
            }
        }
        return n;
    }

    /** Agent WebSocket links open now. */
    public int openLinks() {
        return openLinks.getAsInt();
    }

    /** Event streams following live now: single jobs' ({@code /v1/jobs/{id}/events}) and mesh-wide ({@code /v1/events}). */
    public int openEventStreams() {
        return hub.jobSubscriptions() + hub.endSubscriptions();
    }

    /** Jobs submitted and ended since the coordinator started, by type and scope. */
    public List<JobFlow.KindCounts> byKind() {
        return flow.byKind();
    }

    /** Jobs ended since start per type (all scopes together), each by terminal status; sorted by type. */
    public Map<String, Map<JobStatus, Long>> endedByType() {
        return endedBy(byKind(), JobFlow.KindCounts::type);
    }

    /** Jobs ended since start per scope (all types together), each by terminal status; in scope order. */
    public Map<Scope, Map<JobStatus, Long>> endedByScope() {
        return endedBy(byKind(), JobFlow.KindCounts::scope);
    }

    /** Sums {@code kinds}' ends by the key {@code by} gives each kind. */
    static <K extends Comparable<K>> Map<K, Map<JobStatus, Long>> endedBy(
            List<JobFlow.KindCounts> kinds, Function<JobFlow.KindCounts, K> by) {
        Map<K, Map<JobStatus, Long>> sums = new TreeMap<>();
        for (JobFlow.KindCounts kind : kinds) {
            Map<JobStatus, Long> sum = sums.computeIfAbsent(by.apply(kind), k -> new EnumMap<>(JobStatus.class));
            kind.ended().forEach((status, n) -> sum.merge(status, n, Long::sum));
        }
        return sums;
    }

    /** Every figure at once, as {@code GET /v1/stats} shows it and the dashboard draws it. */
    public Snapshot snapshot() {
        Map<JobStatus, Long> jobs = new EnumMap<>(JobStatus.class);
        long total = 0;
        for (JobStatus status : JobStatus.values()) {
            long n = jobs(status);
            jobs.put(status, n);
            total += n;
        }
        Map<NodeStatus, Long> nodes = new EnumMap<>(NodeStatus.class);
        for (NodeStatus status : NodeStatus.values()) {
            nodes.put(status, 0L);
        }
        scheduler.nodes().forEach(node -> nodes.merge(node.status(), 1L, Long::sum));
        return new Snapshot(
                jobs,
                total,
                jobs.get(JobStatus.QUEUED),
                byKind(),
                nodes,
                openLinks(),
                openEventStreams(),
                Latency.of(flow.waited().takeSnapshot()),
                Latency.of(flow.ran().takeSnapshot()),
                Latency.of(commits.latency().takeSnapshot()),
                scheduler.finishedDeletedTotal());
    }

    /**
     * Every figure at one moment. {@code jobs}: jobs per status now; {@code byKind}: jobs submitted and ended since the
     * coordinator started, by type and scope; {@code queueWait}, {@code runTime}: submit to first start and the last attempt's
     * run time of the jobs that ended since start; {@code storeCommit}: the store's commit latency; {@code deleted}:
     * finished jobs deleted since start (retention and {@code DELETE /v1/jobs/{id}}).
     */
    public record Snapshot(
            Map<JobStatus, Long> jobs,
            long total,
            long queueDepth,
            List<JobFlow.KindCounts> byKind,
            Map<NodeStatus, Long> nodes,
            int openLinks,
            int openEventStreams,
            Latency queueWait,
            Latency runTime,
            Latency storeCommit,
            long deleted) {}

    /**
     * A latency histogram since start: how many were observed, their mean and largest (milliseconds), and per bucket
     * bound how many took at most that long (cumulative, as Prometheus's {@code le} buckets).
     */
    public record Latency(long count, double meanMs, double maxMs, List<Bucket> buckets) {

        static Latency of(HistogramSnapshot histogram) {
            List<Bucket> buckets = new ArrayList<>();
            for (CountAtBucket bucket : histogram.histogramCounts()) {
                buckets.add(new Bucket(bucket.bucket(TimeUnit.MILLISECONDS), (long) bucket.count()));
            }
            return new Latency(
                    histogram.count(),
                    histogram.mean(TimeUnit.MILLISECONDS),
                    histogram.max(TimeUnit.MILLISECONDS),
                    buckets);
        }
    }

    /** {@code count} observations took at most {@code leMs} milliseconds. */
    public record Bucket(double leMs, long count) {}
}
