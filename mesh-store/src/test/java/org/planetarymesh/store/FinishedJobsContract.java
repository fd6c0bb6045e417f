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

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.store.FinishedJobs.Finished;
import org.planetarymesh.store.FinishedJobs.Range;
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
    void aRangePurgeDeletesTheReplicaRowsOfAVerifiedJob() {
        Job verified = withState(aJob(), JobStatus.COMPLETED, null).toBuilder()
                .updatedAt(java.time.Instant.now().minusSeconds(60))
                .build();
        Job kept = stored(JobStatus.RUNNING);
        store.apply(List.of(
                insert(verified),
                new Write.Row(new ReplicaRow(new StoredReplica(verified.id(), 1, "r1", "{}"), java.time.Instant.now())),
                new Write.Row(new ReplicaRow(new StoredReplica(kept.id(), 1, "r2", "{}"), java.time.Instant.now()))));

        Range range = finished.nextRange(Set.of(JobStatus.COMPLETED), null, null, null, 10)
                .orElseThrow();
        store.apply(finished.purge(range).writes());

        assertThat(store.find(verified.id())).isEmpty();
        assertThat(store.replicas(verified.id())).isEmpty();
        assertThat(store.replicas(kept.id()))
                .as("a job not in the range keeps its replica rows")
                .hasSize(1);
    }

    @Test
    void theRangesWalkOldestFirstPastTheCountOrTheAgeFromACursor() {
        List<Job> completed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            completed.add(stored(JobStatus.COMPLETED));
        }
        Job failed = stored(JobStatus.FAILED);
        Set<JobStatus> done = Set.of(JobStatus.COMPLETED);

        String through = finished.newestBeyond(done, 2).orElseThrow();
        assertThat(through).isEqualTo(completed.get(2).id());
        assertThat(finished.newestBeyond(done, 5)).isEmpty();
        Range first = finished.nextRange(done, null, through, null, 2).orElseThrow();
        assertThat(first.through()).isEqualTo(completed.get(1).id());
        assertThat(first.size()).isEqualTo(2);
        assertThat(first.nodeIds()).containsExactly("node-a");
        Range second =
                finished.nextRange(done, first.through(), through, null, 2).orElseThrow();
        assertThat(second.through()).isEqualTo(completed.get(2).id());
        assertThat(second.size()).isEqualTo(1);
        assertThat(finished.nextRange(done, second.through(), through, null, 2)).isEmpty();

        // Every job here was last changed a minute ago: a cutoff now finds them, one two minutes ago none.
        Set<JobStatus> unsuccessful = EnumSet.of(JobStatus.FAILED, JobStatus.CANCELLED);
        Instant now = Instant.now();
        assertThat(finished.nextRange(unsuccessful, null, null, now, 10).orElseThrow())
                .extracting(Range::through, Range::size)
                .containsExactly(failed.id(), 1);
        assertThat(finished.nextRange(unsuccessful, null, null, now.minusSeconds(120), 10))
                .isEmpty();
        assertThat(finished.nextRange(done, completed.get(3).id(), null, now, 10)
                        .orElseThrow())
                .extracting(Range::through, Range::size)
                .containsExactly(completed.get(4).id(), 1);
    }

    @Test
    void aRangePurgeDeletesWhatIsStillFinishedAndCountsItByStatus() {
        Job failed = stored(JobStatus.FAILED);
        Job retried = stored(JobStatus.CANCELLED);
        Job running = stored(JobStatus.RUNNING);
        Job completed = stored(JobStatus.COMPLETED);
        Job timedOut = stored(JobStatus.TIMED_OUT);
        Set<JobStatus> unsuccessful = EnumSet.of(JobStatus.FAILED, JobStatus.CANCELLED, JobStatus.TIMED_OUT);
        Range range = finished.nextRange(unsuccessful, null, null, null, 10).orElseThrow();
        assertThat(range.size()).isEqualTo(3);
        // Retried after the range was found: it is no longer finished when the purge commits.
        assertThat(store.apply(List.of(new Write.Row(new JobRequeue(queued(retried))))))
                .containsExactly(APPLIED);

        RangePurge purge = finished.purge(range);
        store.apply(purge.writes());

        assertThat(purge.deleted())
                .containsExactlyInAnyOrderEntriesOf(Map.of(JobStatus.FAILED, 1L, JobStatus.TIMED_OUT, 1L));
        for (Job gone : List.of(failed, timedOut)) {
            assertThat(store.find(gone.id())).isEmpty();
            assertThat(store.events(gone.id(), 0)).isEmpty();
        }
        for (Job kept : List.of(retried, running, completed)) {
            assertThat(store.find(kept.id())).isPresent();
            assertThat(store.events(kept.id(), 0)).hasSize(1);
        }
        assertThat(store.list(new JobStore.JobQuery(null, null, "node-a", null, 10, null))
                        .jobs())
                .as("the node filter still finds the jobs that stayed")
                .extracting(Job::id)
                .containsExactlyInAnyOrder(retried.id(), running.id(), completed.id());
    }
}
