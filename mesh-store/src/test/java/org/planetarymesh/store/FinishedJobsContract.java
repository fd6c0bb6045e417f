package org.planetarymesh.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.planetarymesh.store.JobStore.Outcome.APPLIED;
import static org.planetarymesh.store.JobStore.Outcome.REFUSED;
import static org.planetarymesh.store.StoreFixtures.aJob;
import static org.planetarymesh.store.StoreFixtures.at;
import static org.planetarymesh.store.StoreFixtures.insert;
import static org.planetarymesh.store.StoreFixtures.progressEvent;
import static org.planetarymesh.store.StoreFixtures.withState;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.store.FinishedJobs.Finished;
import org.planetarymesh.store.JobStore.Outcome;
import org.planetarymesh.store.JobStore.Write;

/**
 * Retry and deletion of finished jobs in the store: a requeue moves only a retryable job back to QUEUED; a purge
 * deletes only finished jobs, with their events; the finders walk oldest first past a count or an age.
 */
abstract class FinishedJobsContract {

    private Database db;
    private JobStore store;
    private FinishedJobs finished;

    protected abstract String freshDatabaseUrl();

    @BeforeEach
    void openDatabase() {
        db = Database.open(freshDatabaseUrl());
        store = db.jobs();
        finished = db.finishedJobs();
    }

    @AfterEach
    void closeDatabase() {
        db.close();
    }

    private Job stored(JobStatus status) {
        // Changed a minute ago: ids are minted from the same clock, so an id is never later than its job's changes.
        Job job = withState(aJob(), status, "node-a").toBuilder()
                .updatedAt(java.time.Instant.now().minusSeconds(60))
                .build();
        assertThat(store.apply(List.of(insert(job), new Write.AppendEvent(progressEvent(job.id(), 1)))))
                .containsExactly(APPLIED, APPLIED);
        return job;
    }

    private static Job queued(Job job) {
        return job.toBuilder().status(JobStatus.QUEUED).updatedAt(at(5)).build();
    }

    @Test
    void aRequeueMovesOnlyAFailedTimedOutOrCancelledJobBackToQueued() {
        for (JobStatus status : JobStatus.values()) {
            Job job = stored(status);
            Outcome outcome = store.apply(List.of(new Write.Row(new JobRequeue(queued(job)))))
                    .getFirst();
            boolean retryable = EnumSet.of(JobStatus.FAILED, JobStatus.TIMED_OUT, JobStatus.CANCELLED)
                    .contains(status);
            assertThat(outcome).as("requeue from %s", status).isEqualTo(retryable ? APPLIED : REFUSED);
            assertThat(store.find(job.id()).orElseThrow().status()).isEqualTo(retryable ? JobStatus.QUEUED : status);
        }
        assertThatThrownBy(() -> new JobRequeue(stored(JobStatus.FAILED))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anUpdateAfterARequeueInTheSameBatchSeesIt() {
        Job job = stored(JobStatus.FAILED);
        Job requeued = queued(job);
        Job completed = requeued.toBuilder()
                .status(JobStatus.COMPLETED)
                .updatedAt(at(6))
                .build();
        assertThat(store.apply(List.of(new Write.Row(new JobRequeue(requeued)), new Write.Update(completed))))
                .containsExactly(APPLIED, APPLIED);
        assertThat(store.find(job.id()).orElseThrow().status()).isEqualTo(JobStatus.COMPLETED);
        // An ordinary update never leaves a finished state.
        assertThat(store.apply(List.of(new Write.Update(requeued)))).containsExactly(REFUSED);
    }

    @Test
    void aPurgeDeletesFinishedJobsWithTheirEventsAndLeavesUnfinishedOnes() {
        Job done = stored(JobStatus.COMPLETED);
        Job failed = stored(JobStatus.FAILED);
        Job running = stored(JobStatus.RUNNING);
        List<Finished> targets = List.of(Finished.of(done), Finished.of(failed), Finished.of(running));

        List<Outcome> outcomes = store.apply(finished.purge(targets));

        assertThat(outcomes.subList(outcomes.size() - 3, outcomes.size())).containsExactly(APPLIED, APPLIED, REFUSED);
        assertThat(store.find(done.id())).isEmpty();
        assertThat(store.events(done.id(), 0)).isEmpty();
        assertThat(store.find(failed.id())).isEmpty();
        assertThat(store.find(running.id())).isPresent();
        assertThat(store.events(running.id(), 0)).hasSize(1);
    }

    @Test
    void aPurgeOfAFinishedVerifiedJobDeletesItsReplicaRows() {
        // A verified job is never placed itself: no node, only its replicas ran.
        Job verified = withState(aJob(), JobStatus.COMPLETED, null).toBuilder()
                .updatedAt(java.time.Instant.now().minusSeconds(60))
                .build();
        store.apply(List.of(
                insert(verified),
                new Write.Row(
                        new ReplicaRow(new StoredReplica(verified.id(), 1, "r1", "{}"), java.time.Instant.now()))));
        assertThat(store.replicas(verified.id())).hasSize(1);

        store.apply(finished.purge(List.of(Finished.of(verified))));

        assertThat(store.find(verified.id())).isEmpty();
        assertThat(store.replicas(verified.id())).isEmpty();
    }

    @Test
    void theFindersWalkOldestFirstPastTheCountOrTheAgeFromACursor() {
        List<Job> completed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            completed.add(stored(JobStatus.COMPLETED));
        }
        Job failed = stored(JobStatus.FAILED);
        Set<JobStatus> done = Set.of(JobStatus.COMPLETED);

        String through = finished.newestBeyond(done, 2).orElseThrow();
        assertThat(through).isEqualTo(completed.get(2).id());
        assertThat(finished.newestBeyond(done, 5)).isEmpty();
        assertThat(finished.through(done, null, through, 2))
                .extracting(Finished::id)
                .containsExactly(completed.get(0).id(), completed.get(1).id());
        assertThat(finished.through(done, completed.get(1).id(), through, 2))
                .extracting(Finished::id)
                .containsExactly(completed.get(2).id());

        // Every job here was last changed a minute ago: a cutoff now finds them, one two minutes ago none.
        Set<JobStatus> unsuccessful = EnumSet.of(JobStatus.FAILED, JobStatus.CANCELLED);
        assertThat(finished.olderThan(unsuccessful, java.time.Instant.now(), null, 10))
                .extracting(Finished::id)
                .containsExactly(failed.id());
        assertThat(finished.olderThan(unsuccessful, java.time.Instant.now().minusSeconds(120), null, 10))
                .isEmpty();
        assertThat(finished.olderThan(
                        done, java.time.Instant.now(), completed.get(3).id(), 10))
                .extracting(Finished::id)
                .containsExactly(completed.get(4).id());
        assertThat(finished.through(done, null, through, 10).getFirst().nodeIds())
                .containsExactly("node-a");
    }
}
