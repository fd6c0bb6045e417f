package org.planetarymesh.coordinator.api;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.planetarymesh.coordinator.events.JobEventHub;
import org.planetarymesh.coordinator.scheduler.Scheduler;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobEvent;
import org.planetarymesh.store.GroupCommitWriter;
import org.planetarymesh.store.JobStore.Outcome;
import org.planetarymesh.store.JobStore.Write;

/** Where accepted jobs enter the mesh: stored durably with their first event, and handed to the scheduler. */
final class JobIntake {

    private final GroupCommitWriter writer;
    private final Scheduler scheduler;
    private final JobEventHub hub;

    JobIntake(GroupCommitWriter writer, Scheduler scheduler, JobEventHub hub) {
        this.writer = writer;
        this.scheduler = scheduler;
        this.hub = hub;
    }

    /**
     * Inserts {@code jobs} with their first event in one group commit; the outcomes are the inserts', one per job, in
     * order. The caller answers the client only once this completes, so an acknowledged job is durable.
     *
     * <p>Jobs without an idempotency key cannot conflict, so the scheduler gets them at once and may place them while
     * their insert commits: the insert is queued first, and the writer commits in order, so every write the scheduler
     * makes for them lands after it. That takes the fsync off submit-to-start. The writer retries a commit while the
     * store is unavailable; if it fails for good, the scheduler forgets them (the client was told nothing but the
     * error, and they are not counted in the stats); a crash before it may leave a job run that the client was never
     * told was accepted, which at-least-once allows. Jobs with a key wait for the commit, which may find a conflict.
     */
    CompletableFuture<List<Outcome>> storeAndSchedule(List<Job> jobs) {
        List<Write> writes = new ArrayList<>(jobs.size() * 2);
        List<Job> placeNow = new ArrayList<>(jobs.size());
        for (Job job : jobs) {
            writes.add(new Write.Insert(job));
            writes.add(new Write.AppendEvent(JobEvent.status(job, hub.nextSeq())));
            if (job.spec().idempotencyKey() == null) {
                placeNow.add(job);
            }
        }
        CompletableFuture<List<Outcome>> committed = writer.submitAll(writes);
        if (!placeNow.isEmpty()) {
            scheduler.submitted(placeNow);
            committed.whenComplete((outcomes, error) -> {
                if (error != null) {
                    scheduler.notStored(placeNow.stream().map(Job::id).toList());
                }
            });
        }
        return committed.thenApply(all -> {
            List<Outcome> inserts = new ArrayList<>(jobs.size());
            List<Job> storedWithKey = new ArrayList<>();
            for (int i = 0; i < jobs.size(); i++) {
                Outcome insert = all.get(2 * i);
                inserts.add(insert);
                if (insert == Outcome.APPLIED && jobs.get(i).spec().idempotencyKey() != null) {
                    storedWithKey.add(jobs.get(i));
                }
            }
            if (!storedWithKey.isEmpty()) {
                scheduler.submitted(storedWithKey);
            }
            return inserts;
        });
    }
}
