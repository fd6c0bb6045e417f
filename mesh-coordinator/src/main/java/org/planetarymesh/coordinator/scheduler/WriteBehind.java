package org.planetarymesh.coordinator.scheduler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.planetarymesh.coordinator.events.JobEventHub;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobEvent;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.store.GroupCommitWriter;
import org.planetarymesh.store.JobRequeue;
import org.planetarymesh.store.JobStore;
import org.planetarymesh.store.JobStore.Write;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the scheduler decides reaches the store through here: the writes of one loop turn go to the
 * {@link GroupCommitWriter} as one group ({@link #flush}), and their events reach subscribers, and the actions waiting
 * on them run, only once it committed.
 *
 * <p>An attempt's ASSIGNED state, and RUNNING after it, are written behind: kept in memory and written
 * {@link #DEFERRED_WRITE_DELAY_MS} later only if the attempt still runs then ({@link #deferWrite}). A short job's result
 * usually arrives first and its terminal write carries everything, saving two commits per job. Nothing a client was
 * promised depends on those writes: if the coordinator dies first, the job is still QUEUED in the store and runs again
 * after recovery (at-least-once), and the agent's late report for the lost attempt is fenced off by the attempt number.
 */
final class WriteBehind {

    static final long DEFERRED_WRITE_DELAY_MS = 50;

    private static final Logger LOG = LoggerFactory.getLogger(WriteBehind.class);

    /** Something to do once everything decided before it is durable; {@code failure} is null when it is. */
    interface AfterCommit {
        void run(Throwable failure);
    }

    private final GroupCommitWriter writer;
    private final JobEventHub hub;
    private final JobTable jobs;
    private final TimerQueue timers;
    private final SchedulerClock clock;
    /**
     * Jobs whose ASSIGNED or RUNNING state is in memory only, with a write due, mapped to the first state not written:
     * its status event is still owed when the write happens.
     */
    private final Map<String, Job> unwritten = new HashMap<>();
    // Writes, their events and the actions waiting for them, decided in the current loop turn.
    private final List<Write> pendingWrites = new ArrayList<>();
    private final List<JobEvent> pendingEvents = new ArrayList<>();
    private final List<Job> pendingEnded = new ArrayList<>();
    private final List<AfterCommit> pendingActions = new ArrayList<>();
    private CompletableFuture<?> lastCommit = CompletableFuture.completedFuture(null);

    WriteBehind(GroupCommitWriter writer, JobEventHub hub, JobTable jobs, TimerQueue timers, SchedulerClock clock) {
        this.writer = writer;
        this.hub = hub;
        this.jobs = jobs;
        this.timers = timers;
        this.clock = clock;
    }

    long nextSeq() {
        return hub.nextSeq();
    }

    /** Tracks {@code job}'s new ASSIGNED or RUNNING state and schedules its write, unless one is already due. */
    void deferWrite(Job job) {
        jobs.track(job);
        if (unwritten.putIfAbsent(job.id(), job) == null) {
            timers.after(DEFERRED_WRITE_DELAY_MS, Timer.Kind.DEFERRED_WRITE, job.id(), job.attempt());
        }
    }

    /**
     * Makes {@code job} RUNNING (a report implies the attempt started) and writes its state now if a deferred write is
     * still pending or the status changed; returns the job as it is now.
     */
    Job writeRunning(Job job) {
        Job current = job.status() == JobStatus.ASSIGNED ? job.running(clock.now()) : job;
        if (current != job) {
            jobs.track(current);
        }
        Job firstUnwritten = unwritten.remove(job.id());
        if (firstUnwritten != null) {
            commitSince(firstUnwritten, current);
        } else if (current != job) {
            commit(current);
        }
        return current;
    }

    /** The deferred write of {@code job}'s ASSIGNED or RUNNING state, if it is still due. */
    void writeDeferred(Job job) {
        Job firstUnwritten = unwritten.remove(job.id());
        if (firstUnwritten != null) {
            commitSince(firstUnwritten, job);
        }
    }

    /** A write of {@code jobId} is about to carry its latest state: no deferred write is owed any more. */
    void supersede(String jobId) {
        unwritten.remove(jobId);
    }

    /**
     * Writes {@code current} with the status events owed since {@code firstUnwritten}: a job still running when its
     * deferred write comes gets its ASSIGNED and RUNNING events both, so only short attempts skip them.
     */
    private void commitSince(Job firstUnwritten, Job current) {
        List<JobEvent> events = firstUnwritten.status() == current.status()
                ? List.of(JobEvent.status(current, hub.nextSeq()))
                : List.of(JobEvent.status(firstUnwritten, hub.nextSeq()), JobEvent.status(current, hub.nextSeq()));
        commitEvents(events, List.of(current));
    }

    /** Writes {@code job} with its status event. */
    void commit(Job job) {
        commitEvents(List.of(JobEvent.status(job, hub.nextSeq())), List.of(job));
    }

    /** Queues the writes for {@code jobs} and {@code events}; they commit together at the end of this loop turn. */
    void commitEvents(List<JobEvent> events, List<Job> changed) {
        for (Job job : changed) {
            pendingWrites.add(new Write.Update(job));
        }
        for (JobEvent event : events) {
            pendingWrites.add(new Write.AppendEvent(event));
            pendingEvents.add(event);
        }
    }

    /** Inserts a job the scheduler made itself (a replica of a verified job) with its first status event. */
    void commitInsert(Job job) {
        JobEvent status = JobEvent.status(job, hub.nextSeq());
        pendingWrites.add(new Write.Insert(job));
        pendingWrites.add(new Write.AppendEvent(status));
        pendingEvents.add(status);
    }

    /** Queues rows of other tables ({@link Write.Row}); they commit with this loop turn's job writes. */
    void commitRows(List<Write.Row> rows) {
        pendingWrites.addAll(rows);
    }

    /** Writes an ended job with its terminal status and end events, as one row for the two. */
    void commitEnd(Job job) {
        unwritten.remove(job.id());
        JobEvent status = JobEvent.status(job, hub.nextSeq());
        JobEvent end = JobEvent.end(job, hub.nextSeq());
        pendingWrites.add(new Write.Update(job));
        pendingWrites.add(new Write.AppendEnd(status, end));
        pendingEvents.add(status);
        pendingEvents.add(end);
        pendingEnded.add(job);
    }

    /**
     * Writes a retried job back to QUEUED with its status event: the store's requeue takes the job out of its finished
     * state only if it is still in one (its ordinary update could not).
     */
    void commitRequeue(Job job) {
        unwritten.remove(job.id());
        JobEvent status = JobEvent.status(job, hub.nextSeq());
        pendingWrites.add(new Write.Row(new JobRequeue(job)));
        pendingWrites.add(new Write.AppendEvent(status));
        pendingEvents.add(status);
    }

    /** Queues a row of another table; it commits with this turn's job writes (after {@link #commitEnd}, say). */
    void commitRow(org.planetarymesh.store.RowWrite row) {
        pendingWrites.add(new Write.Row(row));
    }

    /** Runs {@code action} once everything decided so far is durable (the writer commits in order), or failed to be. */
    void afterCommit(AfterCommit action) {
        pendingActions.add(action);
    }

    /**
     * Hands everything this loop turn decided to the group commit writer as one group: one future and one callback per
     * turn instead of per job. Events reach subscribers only once it is durable; after-commit actions learn whether it
     * is, so none answers a client for a write that never landed.
     */
    void flush() {
        if (pendingWrites.isEmpty()) {
            if (!pendingActions.isEmpty()) {
                List<AfterCommit> actions = List.copyOf(pendingActions);
                pendingActions.clear();
                lastCommit.whenComplete((ignored, error) -> runAll(actions, error));
            }
            return;
        }
        List<Write> writes = List.copyOf(pendingWrites);
        List<JobEvent> events = List.copyOf(pendingEvents);
        List<Job> ended = List.copyOf(pendingEnded);
        List<AfterCommit> actions = List.copyOf(pendingActions);
        pendingWrites.clear();
        pendingEvents.clear();
        pendingEnded.clear();
        pendingActions.clear();
        lastCommit = writer.submitAll(writes).whenComplete((outcomes, error) -> {
            if (error != null) {
                LOG.error("could not persist {} writes; state in memory is ahead of the store", writes.size(), error);
            } else {
                warnUnapplied(writes, outcomes);
                hub.publishCommitted(events, ended);
            }
            runAll(actions, error);
        });
    }

    CompletableFuture<?> lastCommit() {
        return lastCommit;
    }

    private static void runAll(List<AfterCommit> actions, Throwable failure) {
        for (AfterCommit action : actions) {
            try {
                action.run(failure);
            } catch (RuntimeException e) {
                LOG.error("after-commit action failed", e);
            }
        }
    }

    private static void warnUnapplied(List<Write> writes, List<JobStore.Outcome> outcomes) {
        for (int i = 0; i < writes.size(); i++) {
            if (writes.get(i) instanceof Write.Update(Job job) && outcomes.get(i) != JobStore.Outcome.APPLIED) {
                LOG.warn("store {} the update of job {} to {}", outcomes.get(i), job.id(), job.status());
            }
        }
    }
}
