package org.planetarymesh.coordinator.scheduler;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobStatus;

/**
 * QUEUED jobs waiting for a node, highest priority first, and the parked ones that no node could take when last tried;
 * those get another chance whenever the set of nodes or their free capacity changes.
 */
final class ReadyQueue {

    private final PriorityQueue<Job> ready = new PriorityQueue<>(
            Comparator.comparingInt((Job j) -> -j.spec().priority()).thenComparing(Job::id));
    private final Set<String> inReady = new HashSet<>();
    private final List<Job> parked = new ArrayList<>();
    private final JobTable jobs;
    private final TimerQueue timers;
    private final SchedulerClock clock;

    ReadyQueue(JobTable jobs, TimerQueue timers, SchedulerClock clock) {
        this.jobs = jobs;
        this.timers = timers;
        this.clock = clock;
    }

    /** Queues a QUEUED job for placement, or sets a timer if it must wait out a retry backoff first. */
    void offer(Job job) {
        if (job.notBefore() != null && job.notBefore().isAfter(clock.now())) {
            timers.atWallTime(job.notBefore(), Timer.Kind.RETRY_READY, job.id(), job.attempt());
            return;
        }
        if (inReady.add(job.id())) {
            ready.add(job);
        }
    }

    boolean isEmpty() {
        return ready.isEmpty();
    }

    /** The next job to place as it is now, or null if the one taken meanwhile moved on (cancelled, say). */
    Job poll() {
        Job queued = ready.poll();
        inReady.remove(queued.id());
        Job job = jobs.get(queued.id());
        return job != null && job.status() == JobStatus.QUEUED ? job : null;
    }

    /** No node could take {@code job}: it waits for the nodes to change. */
    void park(Job job) {
        parked.add(job);
    }

    /** The nodes or their capacity changed: every parked job is tried again. */
    void unpark() {
        if (parked.isEmpty()) {
            return;
        }
        for (Job job : parked) {
            Job current = jobs.get(job.id());
            if (current != null && current.status() == JobStatus.QUEUED && inReady.add(current.id())) {
                ready.add(current);
            }
        }
        parked.clear();
    }
}
