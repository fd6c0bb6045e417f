package org.planetarymesh.coordinator.stats;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.planetarymesh.core.job.Attempt;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.job.Scope;

/**
 * Jobs that entered and left the scheduler, by type and scope, and how long they waited and ran. The scheduler thread
 * tells it of each job submitted and each job that ended (it only counts and records: no allocation once a type has
 * been seen); any thread reads it. The counters are exported as Prometheus counters and read by {@code /v1/stats}
 * from the same fields.
 */
public final class JobFlow {

    /** Distinct job types counted on their own; later new types are counted as {@link #OTHER_TYPE}. */
    public static final int MAX_TYPES = 64;
    /** The type label of jobs whose type came after {@link #MAX_TYPES} others (keeps the series bounded). */
    public static final String OTHER_TYPE = "other";
    /** The statuses a job may end in, each a series of {@code mesh_jobs_ended_total}. */
    public static final Set<JobStatus> END_STATUSES = terminalStatuses();

    /** Bucket bounds of both latency histograms: milliseconds to an hour. */
    static final Duration[] LATENCY_BUCKETS = {
        Duration.ofMillis(1),
        Duration.ofMillis(5),
        Duration.ofMillis(10),
        Duration.ofMillis(25),
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofMillis(2_500),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        Duration.ofMinutes(1),
        Duration.ofMinutes(5),
        Duration.ofMinutes(15),
        Duration.ofHours(1)
    };

    private final MeterRegistry registry;
    private final Map<String, AtomicReferenceArray<Kind>> byType = new ConcurrentHashMap<>();
    private final Timer waited;
    private final Timer ran;

    public JobFlow(MeterRegistry registry) {
        this.registry = registry;
        this.waited = Timer.builder("mesh.jobs.wait")
                .description("Time from a job's submission to the start of its first attempt (observed when the job"
                        + " ends)")
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry);
        this.ran = Timer.builder("mesh.jobs.run")
                .description("Time a job's last attempt ran, from its start to the job's end (observed when the job"
                        + " ends)")
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry);
    }

    /** A new job was handed to the scheduler. Scheduler thread only. */
    public void submitted(Job job) {
        kind(job).submitted.incrementAndGet();
    }

    /** {@code job} reached a terminal status. Scheduler thread only. */
    public void ended(Job job) {
        kind(job).ended.incrementAndGet(job.status().ordinal());
        List<Attempt> attempts = job.attempts();
        if (attempts.isEmpty()) {
            return; // never started: cancelled or timed out in the queue, or a dependency failed
        }
        Instant firstStart = attempts.getFirst().startedAt();
        Instant lastStart = attempts.getLast().startedAt();
        if (firstStart != null && job.createdAt() != null) {
            waited.record(nanosBetween(job.createdAt(), firstStart), TimeUnit.NANOSECONDS);
        }
        if (lastStart != null && job.finishedAt() != null) {
            ran.record(nanosBetween(lastStart, job.finishedAt()), TimeUnit.NANOSECONDS);
        }
    }

    /** Submission to first start, over every ended job that started. */
    public Timer waited() {
        return waited;
    }

    /** Start of the last attempt to the end, over every ended job that started. */
    public Timer ran() {
        return ran;
    }

    /** The counts of every type and scope seen since the coordinator started, by type then scope. */
    public List<KindCounts> byKind() {
        List<KindCounts> all = new ArrayList<>();
        byType.values().forEach(scopes -> {
            for (int i = 0; i < scopes.length(); i++) {
                Kind kind = scopes.get(i);
                if (kind != null) {
                    all.add(kind.counts());
                }
            }
        });
        all.sort(Comparator.comparing(KindCounts::type).thenComparing(KindCounts::scope));
        return all;
    }

    private Kind kind(Job job) {
        String type = job.spec().type();
        AtomicReferenceArray<Kind> scopes = byType.get(type);
        if (scopes == null) {
            type = byType.size() < MAX_TYPES ? type : OTHER_TYPE;
            scopes = byType.computeIfAbsent(type, t -> new AtomicReferenceArray<>(Scope.values().length));
        }
        Scope scope = job.spec().scope();
        Kind kind = scopes.get(scope.ordinal());
        if (kind == null) {
            kind = new Kind(type, scope);
            kind.register(registry);
            scopes.set(scope.ordinal(), kind);
        }
        return kind;
    }

    private static long nanosBetween(Instant from, Instant to) {
        long nanos = (to.getEpochSecond() - from.getEpochSecond()) * 1_000_000_000L + (to.getNano() - from.getNano());
        return Math.max(0, nanos); // wall clocks may step back; a negative duration means "at once"
    }

    private static Set<JobStatus> terminalStatuses() {
        Set<JobStatus> ends = EnumSet.noneOf(JobStatus.class);
        for (JobStatus status : JobStatus.values()) {
            if (status.isTerminal()) {
                ends.add(status);
            }
        }
        return java.util.Collections.unmodifiableSet(ends);
    }

    /** How many jobs of one type and scope were submitted, and how many ended in each terminal status. */
    public record KindCounts(String type, Scope scope, long submitted, Map<JobStatus, Long> ended) {

        /** Jobs of this kind that ended in {@code status}. */
        public long ended(JobStatus status) {
            return ended.getOrDefault(status, 0L);
        }
    }

    /** The live counters of one type and scope. */
    private static final class Kind {
        private final String type;
        private final Scope scope;
        private final AtomicLong submitted = new AtomicLong();
        private final AtomicLongArray ended = new AtomicLongArray(JobStatus.values().length);

        Kind(String type, Scope scope) {
            this.type = type;
            this.scope = scope;
        }

        void register(MeterRegistry registry) {
            FunctionCounter.builder("mesh.jobs.submitted", submitted, AtomicLong::get)
                    .description("Jobs handed to the scheduler since the coordinator started, by type and scope")
                    .tag("type", type)
                    .tag("scope", scope.name())
                    .register(registry);
            for (JobStatus status : END_STATUSES) {
                int at = status.ordinal();
                FunctionCounter.builder("mesh.jobs.ended", ended, counts -> counts.get(at))
                        .description("Jobs that reached a terminal status since the coordinator started, by type,"
                                + " scope and status")
                        .tag("type", type)
                        .tag("scope", scope.name())
                        .tag("status", status.name())
                        .register(registry);
            }
        }

        KindCounts counts() {
            Map<JobStatus, Long> ends = new java.util.EnumMap<>(JobStatus.class);
            for (JobStatus status : END_STATUSES) {
                ends.put(status, ended.get(status.ordinal()));
            }
            return new KindCounts(type, scope, submitted.get(), ends);
        }
    }
}
