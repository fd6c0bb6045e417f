package org.planetarymesh.coordinator.schedule;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.planetarymesh.coordinator.events.JobEventHub;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobEvent;
import org.planetarymesh.store.GroupCommitWriter;
import org.planetarymesh.store.JobStore.Outcome;
import org.planetarymesh.store.JobStore.Write;
import org.planetarymesh.store.RowWrite;

/**
 * Where a schedule's jobs enter the mesh: each is inserted with its first event and the schedule's own row (the tick
 * it settled, or a run by hand) in one group commit, so the job and the schedule's move land together or not at all,
 * and only a job whose insert applied is handed to the scheduler. Its idempotency key is what makes a second fire of
 * the same tick, here or on another coordinator, conflict instead of storing a second job.
 */
final class ScheduledJobs {

    private final GroupCommitWriter writer;
    private final JobEventHub hub;
    private final Consumer<List<Job>> scheduler;

    ScheduledJobs(GroupCommitWriter writer, JobEventHub hub, Consumer<List<Job>> scheduler) {
        this.writer = writer;
        this.hub = hub;
        this.scheduler = scheduler;
    }

    /** Stores {@code job} with {@code row}; completes true if the job was stored, false if its key was taken. */
    CompletableFuture<Boolean> store(Job job, RowWrite row) {
        List<Write> writes = List.of(
                new Write.Insert(job), new Write.AppendEvent(JobEvent.status(job, hub.nextSeq())), new Write.Row(row));
        return writer.submitAll(writes).thenApply(outcomes -> {
            if (outcomes.getFirst() != Outcome.APPLIED) {
                return false;
            }
            scheduler.accept(List.of(job));
            return true;
        });
    }
}
