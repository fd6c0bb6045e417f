package org.planetarymesh.coordinator.events;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobEvent;

/**
 * Numbers job events and fans committed ones out to live subscribers: a job's events to that job's SSE streams, and
 * every job that ended, as it ended, to the mesh-wide streams ({@code GET /v1/events}).
 *
 * <p>Sequence numbers come from one process-wide counter seeded with the wall clock in microseconds, so they only
 * grow, within a job and across restarts, without asking the store for the last one. Events are published only after
 * the store committed them, so a subscriber that replays the store and then follows live events sees each once.
 */
public final class JobEventHub {

    private final AtomicLong seq = new AtomicLong(System.currentTimeMillis() * 1_000);
    private final Map<String, Set<Consumer<JobEvent>>> subscribers = new ConcurrentHashMap<>();
    private final Set<Consumer<Job>> endSubscribers = new CopyOnWriteArraySet<>();
    private final Set<Consumer<Job>> endObservers = new CopyOnWriteArraySet<>();
    private final java.util.concurrent.atomic.AtomicInteger jobStreams =
            new java.util.concurrent.atomic.AtomicInteger();

    /** The next sequence number. */
    public long nextSeq() {
        return seq.incrementAndGet();
    }

    /** Registers {@code listener} for {@code jobId}'s committed events; close the result to stop. */
    public AutoCloseable subscribe(String jobId, Consumer<JobEvent> listener) {
        subscribers.computeIfAbsent(jobId, id -> new CopyOnWriteArraySet<>()).add(listener);
        jobStreams.incrementAndGet();
        return () -> subscribers.computeIfPresent(jobId, (id, set) -> {
            if (set.remove(listener)) {
                jobStreams.decrementAndGet();
            }
            return set.isEmpty() ? null : set;
        });
    }

    /** Registers {@code listener} for every job that ends, once its end is committed; close the result to stop. */
    public AutoCloseable subscribeEnds(Consumer<Job> listener) {
        endSubscribers.add(listener);
        return () -> endSubscribers.remove(listener);
    }

    /**
     * Registers {@code observer}, a part of the coordinator itself (the dashboard's routing log), for every job that
     * ends, as {@link #subscribeEnds} does, but not counted as an open event stream; close the result to stop.
     */
    public AutoCloseable observeEnds(Consumer<Job> observer) {
        endObservers.add(observer);
        return () -> endObservers.remove(observer);
    }

    /** Open subscriptions to single jobs' events ({@code GET /v1/jobs/{id}/events} streams following live). */
    public int jobSubscriptions() {
        return jobStreams.get();
    }

    /** Open subscriptions to every job's end ({@code GET /v1/events} streams). */
    public int endSubscriptions() {
        return endSubscribers.size();
    }

    /** How many live subscribers {@code jobId} has. */
    public int subscriberCount(String jobId) {
        Set<Consumer<JobEvent>> set = subscribers.get(jobId);
        return set == null ? 0 : set.size();
    }

    /** Delivers events the store has committed, and the jobs among them that ended ({@code ended}, as stored). */
    public void publishCommitted(List<JobEvent> events, List<Job> ended) {
        for (Job job : ended) {
            endObservers.forEach(observer -> observer.accept(job));
            endSubscribers.forEach(listener -> listener.accept(job));
        }
        if (subscribers.isEmpty()) {
            return;
        }
        for (JobEvent event : events) {
            Set<Consumer<JobEvent>> set = subscribers.get(event.jobId());
            if (set != null) {
                set.forEach(listener -> listener.accept(event));
            }
        }
    }
}
