package org.planetarymesh.coordinator.dashboard;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.planetarymesh.coordinator.stats.JobFlow;
import org.planetarymesh.coordinator.stats.MeshStats;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobStatus;

/**
 * The dashboard's figures. Counts come from {@link MeshStats}, the one source {@code /v1/stats} and {@code /metrics}
 * read too (jobs per status now; submitted and ended by type and scope since start), so the pages cannot disagree
 * with them. What only the dashboard draws is kept here, in memory as jobs end: where jobs went ({@link RoutingLog})
 * and each second's submit-to-end latency samples. {@link #tick} (once a second, on the live feed's thread) turns a
 * second into a chart point: the jobs that ended in it (the difference of MeshStats's end counters) and its latency
 * percentiles.
 */
final class DashboardStats {

    /** Seconds of chart history kept, so a page opened now draws the last two minutes at once. */
    static final int HISTORY_SECONDS = 120;
    /** Latency samples kept per second; beyond, a second's percentiles come from its first samples. */
    private static final int SAMPLES_PER_SECOND = 4096;

    private final MeshStats meshStats;
    private final RoutingLog routing = new RoutingLog();
    private final ArrayDeque<Point> history = new ArrayDeque<>();
    private final long[] samples = new long[SAMPLES_PER_SECOND];
    private int sampleCount;
    private Ends.Snapshot endedBefore; // totals at the previous tick; null before the first

    DashboardStats(MeshStats meshStats) {
        this.meshStats = meshStats;
    }

    /** One job ended (as stored): note where it went and sample its latency. */
    void ended(Job job) {
        routing.record(job);
        long latencyMs = job.finishedAt() == null || job.createdAt() == null
                ? -1
                : Duration.between(job.createdAt(), job.finishedAt()).toMillis();
        synchronized (samples) {
            if (latencyMs >= 0 && sampleCount < samples.length) {
                samples[sampleCount++] = latencyMs;
            }
        }
    }

    /** Closes the current second: its completions, failures and latency percentiles become a chart point. */
    Point tick(long epochSecond) {
        long[] sorted;
        synchronized (samples) {
            sorted = Arrays.copyOf(samples, sampleCount);
            sampleCount = 0;
        }
        Arrays.sort(sorted);
        Ends.Snapshot ended = total(endsByType().values());
        Ends.Snapshot before = endedBefore == null ? ended : endedBefore;
        endedBefore = ended;
        Point point = new Point(
                epochSecond,
                Math.max(0, ended.completed() - before.completed()),
                Math.max(0, ended.failed() - before.failed()),
                percentile(sorted, 50),
                percentile(sorted, 95));
        synchronized (history) {
            history.addLast(point);
            while (history.size() > HISTORY_SECONDS) {
                history.removeFirst();
            }
        }
        return point;
    }

    /** The chart points kept, oldest first. */
    List<Point> history() {
        synchronized (history) {
            return new ArrayList<>(history);
        }
    }

    /** Jobs in each status now. */
    Map<JobStatus, Long> statusCounts() {
        Map<JobStatus, Long> counts = new EnumMap<>(JobStatus.class);
        for (JobStatus status : JobStatus.values()) {
            counts.put(status, meshStats.jobs(status));
        }
        return counts;
    }

    /** Jobs submitted and ended since start by job type, sorted by type. */
    Map<String, Ends.Snapshot> endsByType() {
        return group(kind -> kind.type());
    }

    /** Jobs submitted and ended since start by scope, sorted by scope. */
    Map<String, Ends.Snapshot> endsByScope() {
        return group(kind -> kind.scope().name());
    }

    private Map<String, Ends.Snapshot> group(Function<JobFlow.KindCounts, String> key) {
        Map<String, Ends.Snapshot> out = new TreeMap<>();
        for (JobFlow.KindCounts kind : meshStats.byKind()) {
            out.merge(key.apply(kind), Ends.Snapshot.of(kind), Ends.Snapshot::plus);
        }
        return out;
    }

    private static Ends.Snapshot total(Collection<Ends.Snapshot> parts) {
        Ends.Snapshot sum = new Ends.Snapshot(0, 0, 0, 0);
        for (Ends.Snapshot part : parts) {
            sum = sum.plus(part);
        }
        return sum;
    }

    RoutingLog routing() {
        return routing;
    }

    /** The {@code p}th percentile of sorted values (nearest rank), or null when there are none. */
    static Long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return null;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    /** One second on the charts: jobs that completed and failed in it, and its submit-to-end latency percentiles. */
    record Point(long second, long completed, long failed, Long p50Ms, Long p95Ms) {}

    /** Jobs of one type or scope since start: submitted, and ended in each terminal status. */
    static final class Ends {
        private Ends() {}

        /** The counts at one moment; failed includes timed out. */
        record Snapshot(long submitted, long completed, long failed, long cancelled) {
            static Snapshot of(JobFlow.KindCounts kind) {
                return new Snapshot(
                        kind.submitted(),
                        kind.ended(JobStatus.COMPLETED),
                        kind.ended(JobStatus.FAILED) + kind.ended(JobStatus.TIMED_OUT),
                        kind.ended(JobStatus.CANCELLED));
            }

            Snapshot plus(Snapshot other) {
                return new Snapshot(
                        submitted + other.submitted,
                        completed + other.completed,
                        failed + other.failed,
                        cancelled + other.cancelled);
            }

            /** Failed among completed and failed, or null before any ended. */
            Double failureRate() {
                long finished = completed + failed;
                return finished == 0 ? null : (double) failed / finished;
            }
        }
    }
}
