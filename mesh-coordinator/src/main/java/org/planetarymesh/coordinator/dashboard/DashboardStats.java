package org.planetarymesh.coordinator.dashboard;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobStatus;

/**
 * What the dashboard shows beyond the scheduler's per-status counters, kept in memory as jobs end (never counted from
 * the store): ends by type and scope since start, where jobs went, and one point per second of throughput and
 * latency for the charts. The hub calls {@link #ended} once per ended job, on the writer's thread, so it only adds to
 * counters; {@link #tick} (once a second, on the live feed's thread) turns the second's samples into a point.
 */
final class DashboardStats {

    /** Seconds of chart history kept, so a page opened now draws the last two minutes at once. */
    static final int HISTORY_SECONDS = 120;
    /** Latency samples kept per second; beyond, a second's percentiles come from its first samples. */
    private static final int SAMPLES_PER_SECOND = 4096;

    private final Supplier<Map<JobStatus, Long>> statusCounts;
    private final Map<String, Ends> byType = new ConcurrentHashMap<>();
    private final Map<String, Ends> byScope = new ConcurrentHashMap<>();
    private final RoutingLog routing = new RoutingLog();
    private final ArrayDeque<Point> history = new ArrayDeque<>();
    private final long[] samples = new long[SAMPLES_PER_SECOND];
    private int sampleCount;
    private long secondCompleted;
    private long secondFailed;

    DashboardStats(Supplier<Map<JobStatus, Long>> statusCounts) {
        this.statusCounts = statusCounts;
    }

    /** One job ended (as stored): count it by type and scope, note where it went, and sample its latency. */
    void ended(Job job) {
        String type = job.spec().type() == null ? "?" : job.spec().type();
        String scope = job.spec().scope() == null ? "?" : job.spec().scope().name();
        byType.computeIfAbsent(type, t -> new Ends()).add(job.status());
        byScope.computeIfAbsent(scope, s -> new Ends()).add(job.status());
        routing.record(job);
        long latencyMs = job.finishedAt() == null || job.createdAt() == null
                ? -1
                : Duration.between(job.createdAt(), job.finishedAt()).toMillis();
        synchronized (samples) {
            if (job.status() == JobStatus.COMPLETED) {
                secondCompleted++;
            } else if (job.status() == JobStatus.FAILED) {
                secondFailed++;
            }
            if (latencyMs >= 0 && sampleCount < samples.length) {
                samples[sampleCount++] = latencyMs;
            }
        }
    }

    /** Closes the current second: its completions, failures and latency percentiles become a chart point. */
    Point tick(long epochSecond) {
        long completed;
        long failed;
        long[] sorted;
        synchronized (samples) {
            completed = secondCompleted;
            failed = secondFailed;
            sorted = Arrays.copyOf(samples, sampleCount);
            secondCompleted = 0;
            secondFailed = 0;
            sampleCount = 0;
        }
        Arrays.sort(sorted);
        Point point = new Point(epochSecond, completed, failed, percentile(sorted, 50), percentile(sorted, 95));
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

    /** Jobs in each status now, from the scheduler's counters. */
    Map<JobStatus, Long> statusCounts() {
        return statusCounts.get();
    }

    /** Ends since start by job type, sorted by type. */
    Map<String, Ends.Snapshot> endsByType() {
        return snapshot(byType);
    }

    /** Ends since start by scope, sorted by scope. */
    Map<String, Ends.Snapshot> endsByScope() {
        return snapshot(byScope);
    }

    RoutingLog routing() {
        return routing;
    }

    private static Map<String, Ends.Snapshot> snapshot(Map<String, Ends> ends) {
        Map<String, Ends.Snapshot> copy = new TreeMap<>();
        ends.forEach((key, value) -> copy.put(key, value.snapshot()));
        return copy;
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

    /** Jobs that ended in each terminal status, for one type or scope. */
    static final class Ends {
        private final LongAdder completed = new LongAdder();
        private final LongAdder failed = new LongAdder();
        private final LongAdder cancelled = new LongAdder();

        void add(JobStatus status) {
            switch (status) {
                case COMPLETED -> completed.increment();
                case FAILED -> failed.increment();
                case CANCELLED -> cancelled.increment();
                default -> {}
            }
        }

        Snapshot snapshot() {
            return new Snapshot(completed.sum(), failed.sum(), cancelled.sum());
        }

        /** Ends as counted at one moment. */
        record Snapshot(long completed, long failed, long cancelled) {
            long total() {
                return completed + failed + cancelled;
            }

            /** Failed among completed and failed, or null before any ended. */
            Double failureRate() {
                long finished = completed + failed;
                return finished == 0 ? null : (double) failed / finished;
            }
        }
    }
}
