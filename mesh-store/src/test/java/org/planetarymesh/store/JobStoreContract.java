package org.planetarymesh.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.planetarymesh.core.job.JobStatus.ASSIGNED;
import static org.planetarymesh.core.job.JobStatus.COMPLETED;
import static org.planetarymesh.core.job.JobStatus.PENDING;
import static org.planetarymesh.core.job.JobStatus.QUEUED;
import static org.planetarymesh.core.job.JobStatus.RUNNING;
import static org.planetarymesh.store.JobStore.Outcome.APPLIED;
import static org.planetarymesh.store.JobStore.Outcome.CONFLICT;
import static org.planetarymesh.store.JobStore.Outcome.REFUSED;
import static org.planetarymesh.store.StoreFixtures.aJob;
import static org.planetarymesh.store.StoreFixtures.aJobWithKey;
import static org.planetarymesh.store.StoreFixtures.at;
import static org.planetarymesh.store.StoreFixtures.event;
import static org.planetarymesh.store.StoreFixtures.insert;
import static org.planetarymesh.store.StoreFixtures.inserts;
import static org.planetarymesh.store.StoreFixtures.jobIn;
import static org.planetarymesh.store.StoreFixtures.progressEvent;
import static org.planetarymesh.store.StoreFixtures.update;
import static org.planetarymesh.store.StoreFixtures.withState;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobEvent;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.job.Scope;
import org.planetarymesh.store.JobStore.JobQuery;
import org.planetarymesh.store.JobStore.Outcome;
import org.planetarymesh.store.JobStore.Page;
import org.planetarymesh.store.JobStore.Write;

/** What every {@link JobStore} promises, run against each real database by a subclass. */
abstract class JobStoreContract {

    private String url;
    private Database db;
    private JobStore store;

    /** A URL of a new, empty database; opening it twice must reach the same data. */
    protected abstract String freshDatabaseUrl();

    /**
     * The plan the database would run {@code statement} with, as text, planned without the bound values (a generic
     * plan), as a statement prepared once and run many times may be.
     */
    protected abstract String genericPlan(Connection c, JdbcJobStore.ListStatement statement) throws SQLException;

    /**
     * Statements that make every update of a row of {@code jobs} add its id to a new table {@code jobs_updated (id)}, so
     * a test can tell a folded update from one the database ran.
     */
    protected abstract List<String> logUpdatesOfJobs();

    @BeforeEach
    void openDatabase() {
        url = freshDatabaseUrl();
        db = Database.open(url);
        store = db.jobs();
    }

    @AfterEach
    void closeDatabase() {
        db.close();
    }

    @Test
    void anInsertedJobIsFoundExactlyAsWritten() {
        Job job = aJob();

        assertThat(store.apply(List.of(insert(job)))).containsExactly(APPLIED);

        assertThat(store.find(job.id())).contains(job);
        assertThat(store.find(aJob().id())).isEmpty();
    }

    @Test
    void listingByOwnerReturnsOnlyThatTokensJobsAndTheOwnerIsKept() {
        Job mine = Job.submitted(org.planetarymesh.core.job.JobIds.next(), aJob().spec(), "tok_a", at(0));
        Job theirs = Job.submitted(org.planetarymesh.core.job.JobIds.next(), aJob().spec(), "tok_b", at(0));
        Job nobodys = aJob();
        store.apply(List.of(insert(mine), insert(theirs), insert(nobodys)));

        Page page = store.list(new JobQuery(null, null, null, null, "tok_a", 100, null));

        assertThat(page.jobs()).extracting(Job::id).containsExactly(mine.id());
        assertThat(store.find(mine.id())).get().extracting(Job::owner).isEqualTo("tok_a");
        assertThat(store.list(new JobQuery(null, null, null, null, 100, null)).jobs())
                .hasSize(3);
    }

    @Test
    void aSecondInsertOfTheSameIdConflictsAndKeepsTheFirst() {
        Job first = aJob();
        Job second = withState(first, ASSIGNED, "node-a");

        assertThat(store.apply(List.of(insert(first), insert(second)))).containsExactly(APPLIED, CONFLICT);

        assertThat(store.find(first.id())).contains(first);
    }

    @Test
    void aSecondInsertWithTheSameIdempotencyKeyConflictsAndTheKeyFindsTheFirst() {
        Job original = aJobWithKey("order-42");
        Job repeat = aJobWithKey("order-42");
        Job unkeyed1 = aJob();
        Job unkeyed2 = aJob();

        assertThat(store.apply(List.of(insert(original)))).containsExactly(APPLIED);
        assertThat(store.apply(List.of(insert(repeat), insert(unkeyed1), insert(unkeyed2))))
                .containsExactly(CONFLICT, APPLIED, APPLIED);

        assertThat(store.findByIdempotencyKey("order-42")).contains(original);
        assertThat(store.find(repeat.id())).isEmpty();
        assertThat(store.findByIdempotencyKey("order-43")).isEmpty();
    }

    @Test
    void everyUpdateTheStatusTableRefusesIsRefusedAndEveryAllowedOneApplied() {
        record Move(JobStatus from, JobStatus to, Job stored) {}
        List<Move> moves = new ArrayList<>();
        for (JobStatus from : JobStatus.values()) {
            for (JobStatus to : JobStatus.values()) {
                moves.add(new Move(from, to, jobIn(from)));
            }
        }
        store.apply(moves.stream().map(m -> insert(m.stored())).toList());

        List<Outcome> outcomes = store.apply(moves.stream()
                .map(m -> update(withState(m.stored(), m.to(), "node-b")))
                .toList());

        for (int i = 0; i < moves.size(); i++) {
            Move m = moves.get(i);
            boolean throughUnwrittenAssigned = m.from().canTransitionTo(ASSIGNED) && ASSIGNED.canTransitionTo(m.to());
            boolean allowed = m.from().canTransitionTo(m.to())
                    || (m.from() == m.to() && !m.from().isTerminal())
                    || throughUnwrittenAssigned;
            String move = m.from() + " -> " + m.to();
            assertThat(outcomes.get(i)).as(move).isEqualTo(allowed ? APPLIED : REFUSED);
            assertThat(store.find(m.stored().id()).orElseThrow().status())
                    .as(move)
                    .isEqualTo(allowed ? m.to() : m.from());
        }
    }

    @Test
    void aShortAttemptsUnwrittenAssignedStateMayBeSkippedButNothingElse() {
        Job queued = jobIn(QUEUED);
        Job pending = jobIn(PENDING);
        store.apply(List.of(insert(queued), insert(pending)));

        List<Outcome> outcomes = store.apply(List.of(
                update(withState(queued, COMPLETED, "node-a")), update(withState(pending, COMPLETED, "node-a"))));

        assertThat(outcomes).containsExactly(APPLIED, REFUSED);
    }

    @Test
    void aCompletedJobIsNeverChangedAgain() {
        Job done = jobIn(COMPLETED);
        store.apply(List.of(insert(done)));

        List<Outcome> outcomes = store.apply(List.of(
                update(withState(done, RUNNING, "node-a")),
                update(withState(done, COMPLETED, "node-a").withProgress(0.5, at(9))),
                update(withState(done, QUEUED, null))));

        assertThat(outcomes).containsOnly(REFUSED);
        assertThat(store.find(done.id())).contains(done);
    }

    @Test
    void aMixedBatchReturnsOneOutcomePerWriteInOrder() {
        Job existing = jobIn(QUEUED);
        Job done = jobIn(COMPLETED);
        store.apply(List.of(insert(existing), insert(done), event(progressEvent(existing.id(), 1))));
        Job fresh = aJob();

        List<Outcome> outcomes = store.apply(List.of(
                insert(fresh),
                insert(existing),
                update(withState(existing, ASSIGNED, "node-a")),
                update(withState(done, RUNNING, "node-a")),
                event(progressEvent(existing.id(), 2)),
                event(progressEvent(existing.id(), 1)),
                update(withState(aJob(), ASSIGNED, "node-a"))));

        assertThat(outcomes).containsExactly(APPLIED, CONFLICT, APPLIED, REFUSED, APPLIED, CONFLICT, REFUSED);
        assertThat(store.find(fresh.id())).contains(fresh);
        assertThat(store.find(existing.id()).orElseThrow().status()).isEqualTo(ASSIGNED);
        assertThat(store.events(existing.id(), 0)).extracting(JobEvent::seq).containsExactly(1L, 2L);
    }

    @Test
    void theSameEventTwiceInOneBatchIsAppliedOnceAndTheSecondConflicts() {
        Job job = aJob();
        store.apply(List.of(insert(job)));

        List<Outcome> outcomes = store.apply(List.of(
                event(progressEvent(job.id(), 7)),
                event(progressEvent(job.id(), 8)),
                event(progressEvent(job.id(), 7)),
                event(progressEvent("another-job", 7))));

        assertThat(outcomes).containsExactly(APPLIED, APPLIED, CONFLICT, APPLIED);
        assertThat(store.events(job.id(), 0)).extracting(JobEvent::seq).containsExactly(7L, 8L);
    }

    @Test
    void twoNewJobsWithOneIdempotencyKeyInOneBatchKeepTheFirst() {
        Job first = aJobWithKey("order-7");
        Job second = aJobWithKey("order-7");

        assertThat(store.apply(List.of(insert(first), insert(second)))).containsExactly(APPLIED, CONFLICT);

        assertThat(store.findByIdempotencyKey("order-7")).contains(first);
        assertThat(store.find(second.id())).isEmpty();
    }

    @Test
    void writesToOneJobInOneBatchTakeEffectInOrder() {
        Job job = aJob();
        Job late = aJob();

        List<Outcome> outcomes = store.apply(List.of(
                insert(job),
                update(withState(job, ASSIGNED, "node-a")),
                update(withState(job, RUNNING, "node-a")),
                // An update before its job exists is refused even though the insert follows in the same batch.
                update(withState(late, ASSIGNED, "node-a")),
                insert(late)));

        assertThat(outcomes).containsExactly(APPLIED, APPLIED, APPLIED, REFUSED, APPLIED);
        assertThat(store.find(job.id()).orElseThrow().status()).isEqualTo(RUNNING);
        assertThat(store.find(late.id())).contains(late);
    }

    @Test
    void updatesOfAJobInsertedInTheSameBatchAreFoldedIntoTheInsert() throws SQLException {
        Job before = aJob();
        store.apply(List.of(insert(before)));
        executeOnNewConnection(logUpdatesOfJobs());
        Job job = aJob();
        Job done = withState(job, COMPLETED, "node-a");

        List<Outcome> outcomes = store.apply(List.of(
                insert(job),
                update(withState(job, RUNNING, "node-a")),
                update(withState(before, ASSIGNED, "node-b")),
                update(done)));

        assertThat(outcomes).containsExactly(APPLIED, APPLIED, APPLIED, APPLIED);
        assertThat(store.find(job.id())).contains(done);
        assertThat(store.list(new JobQuery(null, null, "node-a", null, 10, null))
                        .jobs())
                .containsExactly(done);
        assertThat(queryStrings("SELECT id FROM jobs_updated")).containsExactly(before.id());
    }

    @Test
    void aFoldedUpdateIsRefusedWhereTheStatusTableRefusesIt() {
        Job job = aJob();
        Job done = withState(job, COMPLETED, "node-a");

        List<Outcome> outcomes = store.apply(List.of(
                insert(job),
                update(done),
                update(withState(job, RUNNING, "node-a")),
                update(withState(job, QUEUED, null))));

        assertThat(outcomes).containsExactly(APPLIED, APPLIED, REFUSED, REFUSED);
        assertThat(store.find(job.id())).contains(done);
    }

    @Test
    void updatesAfterAnInsertThatConflictsApplyToTheStoredRow() {
        Job queued = aJob();
        Job completed = jobIn(COMPLETED);
        Job keyed = aJobWithKey("order-9");
        store.apply(List.of(insert(queued), insert(completed), insert(keyed)));
        Job sameKey = aJobWithKey("order-9");
        Job assigned = withState(queued, ASSIGNED, "node-a");

        List<Outcome> outcomes = store.apply(List.of(
                // From the RUNNING state this insert would write, ASSIGNED is refused; the stored QUEUED row takes it.
                insert(withState(queued, RUNNING, "node-x")),
                update(assigned),
                insert(completed),
                update(withState(completed, RUNNING, "node-a")),
                insert(sameKey),
                update(withState(sameKey, ASSIGNED, "node-a"))));

        assertThat(outcomes).containsExactly(CONFLICT, APPLIED, CONFLICT, REFUSED, CONFLICT, REFUSED);
        assertThat(store.find(queued.id())).contains(assigned);
        assertThat(store.find(completed.id())).contains(completed);
        assertThat(store.find(sameKey.id())).isEmpty();
    }

    private void executeOnNewConnection(List<String> statements) throws SQLException {
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    private List<String> queryStrings(String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    @Test
    void aBatchWithAWriteTheDatabaseRejectsIsRolledBackWhole() {
        Job good = aJob();
        Job noId = withId(aJob(), null);

        assertThatThrownBy(() -> store.apply(List.of(insert(good), insert(noId))))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("rolled back");

        assertThat(store.find(good.id())).isEmpty();
        assertThat(store.apply(List.of(insert(good)))).containsExactly(APPLIED);
    }

    @Test
    void aJobTransitionAndARowOfAnotherTableCommitInOneGroupCommit() throws Exception {
        executeOnNewConnection(TestReceiptRow.CREATE_TABLE);
        Job running = withState(aJob(), RUNNING, "node-a");
        Job fresh = aJob();
        store.apply(List.of(insert(running)));
        Job completed = withState(running, COMPLETED, "node-a");

        List<Outcome> outcomes;
        try (GroupCommitWriter writer = new GroupCommitWriter(store, 64)) {
            outcomes = writer.submitAll(List.of(
                            update(completed),
                            row(new TestReceiptRow(running.id(), 7)),
                            insert(fresh),
                            row(new TestReceiptRow(fresh.id(), 0)),
                            row(new TestReceiptRow(running.id(), 9))))
                    .get(30, TimeUnit.SECONDS);
            assertThat(writer.transactions()).isEqualTo(1);
        }

        // The second receipt for the job finds the first's key: a conflict, as a job insert's would be.
        assertThat(outcomes).containsExactly(APPLIED, APPLIED, APPLIED, APPLIED, CONFLICT);
        assertThat(store.find(running.id())).contains(completed);
        assertThat(store.find(fresh.id())).contains(fresh);
        assertThat(queryStrings("SELECT job_id || ':' || amount FROM test_receipts ORDER BY amount"))
                .containsExactly(fresh.id() + ":0", running.id() + ":7");
    }

    @Test
    void aRowTheDatabaseRejectsRollsBackTheJobTransitionsCommittedWithIt() throws Exception {
        executeOnNewConnection(TestReceiptRow.CREATE_TABLE);
        Job running = withState(aJob(), RUNNING, "node-a");
        store.apply(List.of(insert(running)));
        Job fresh = aJob();

        try (GroupCommitWriter writer = new GroupCommitWriter(store, 64)) {
            CompletableFuture<List<Outcome>> failed = writer.submitAll(List.of(
                    update(withState(running, COMPLETED, "node-a")),
                    insert(fresh),
                    event(progressEvent(running.id(), 1)),
                    row(new TestReceiptRow(running.id(), -1))));

            assertThatThrownBy(() -> failed.get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("rolled back")
                    .hasMessageContaining("test_receipts");
        }

        assertThat(store.find(running.id())).contains(running);
        assertThat(store.find(fresh.id())).isEmpty();
        assertThat(store.events(running.id(), 0)).isEmpty();
        assertThat(queryStrings("SELECT job_id FROM test_receipts")).isEmpty();
        assertThat(store.apply(List.of(
                        update(withState(running, COMPLETED, "node-a")), row(new TestReceiptRow(running.id(), 1)))))
                .containsExactly(APPLIED, APPLIED);
    }

    @Test
    void replicaRowsCommitWithTheirJobWritesAndTheLatestOfEachReplicaIsReadBackInOrder() {
        Job verified = withState(aJob(), RUNNING, null);
        Job replica = aJob();
        java.time.Instant at = java.time.Instant.parse("2030-01-01T00:00:00Z");

        assertThat(store.apply(List.of(
                        insert(verified),
                        insert(replica),
                        row(new ReplicaRow(new StoredReplica(verified.id(), 2, "r2", "{\"replica\":2}"), at)),
                        row(new ReplicaRow(new StoredReplica(verified.id(), 1, replica.id(), "{\"replica\":1}"), at)))))
                .containsExactly(APPLIED, APPLIED, APPLIED, APPLIED);
        assertThat(store.apply(List.of(row(new ReplicaRow(
                        new StoredReplica(verified.id(), 1, replica.id(), "{\"replica\":1,\"verdict\":\"agreed\"}"),
                        at.plusSeconds(1))))))
                .containsExactly(APPLIED);

        assertThat(store.replicas(verified.id()))
                .containsExactly(
                        new StoredReplica(verified.id(), 1, replica.id(), "{\"replica\":1,\"verdict\":\"agreed\"}"),
                        new StoredReplica(verified.id(), 2, "r2", "{\"replica\":2}"));
        assertThat(store.replicas(replica.id())).isEmpty();
    }

    @Test
    void aNodesReputationIsWrittenWithTheJobWritesOfItsTurnAndLatestCountsWin() {
        Job running = withState(aJob(), RUNNING, "node-a");
        store.apply(List.of(insert(running)));
        java.time.Instant at = java.time.Instant.parse("2030-01-01T00:00:00Z");

        assertThat(store.apply(List.of(
                        update(withState(running, COMPLETED, "node-a")),
                        row(new ReputationRow(new NodeReputation("node-a", 1, 0, 0, 0), at)),
                        row(new ReputationRow(new NodeReputation("node-b", 0, 2, 1, 0), at)))))
                .containsExactly(APPLIED, APPLIED, APPLIED);
        assertThat(store.apply(List.of(row(new ReputationRow(new NodeReputation("node-a", 5, 1, 0, 1), at)))))
                .containsExactly(APPLIED);

        assertThat(store.reputations())
                .containsExactlyInAnyOrder(
                        new NodeReputation("node-a", 5, 1, 0, 1), new NodeReputation("node-b", 0, 2, 1, 0));
    }

    @Test
    void receiptLogEntriesCommitWithTheCompletionAndReadBackInOrder() throws Exception {
        Job running = withState(aJob(), RUNNING, "node-a");
        Job other = withState(aJob(), RUNNING, "node-a");
        store.apply(List.of(insert(running), insert(other)));
        ReceiptLogStore.StoredEntry first =
                new ReceiptLogStore.StoredEntry(1, running.id(), 1, "bcid1", "00", "h1", "{\"r\":1}", 1000);
        ReceiptLogStore.StoredEntry second =
                new ReceiptLogStore.StoredEntry(2, other.id(), 1, "bcid2", "h1", "h2", "{\"r\":2}", 1001);
        try (GroupCommitWriter writer = new GroupCommitWriter(store, 64)) {
            List<Outcome> outcomes = writer.submitAll(List.of(
                            update(withState(running, COMPLETED, "node-a")),
                            row(new ReceiptLogRow(first)),
                            update(withState(other, COMPLETED, "node-a")),
                            row(new ReceiptLogRow(second)),
                            row(new ReceiptLogRow(second))))
                    .get(30, TimeUnit.SECONDS);
            // A seq taken twice does not apply and does not roll back the completions with it.
            assertThat(outcomes).containsExactly(APPLIED, APPLIED, APPLIED, APPLIED, CONFLICT);
        }
        assertThat(store.receiptLog().head()).contains(second);
        assertThat(store.receiptLog().forJob(running.id())).contains(first);
        assertThat(store.receiptLog().forJob("no-such-job")).isEmpty();
        assertThat(store.receiptLog().from(1, 10)).containsExactly(first, second);
        assertThat(store.receiptLog().from(2, 10)).containsExactly(second);
        assertThat(store.receiptLog().from(1, 1)).containsExactly(first);
    }

    private static Write row(RowWrite row) {
        return new Write.Row(row);
    }

    @Test
    void listFiltersByStatusTypeNodeAndScope() {
        Job echoLocal = aJob("echo", Scope.LOCAL);
        Job shellOnA = withState(aJob("shell", Scope.NETWORK), RUNNING, "node-a");
        Job echoOnA = withState(aJob("echo", Scope.NETWORK), ASSIGNED, "node-a");
        Job echoOnB = withState(aJob("echo", Scope.HYBRID), RUNNING, "node-b");
        store.apply(inserts(List.of(echoLocal, shellOnA, echoOnA, echoOnB)));

        assertThat(ids(query(RUNNING, null, null, null))).containsExactly(echoOnB.id(), shellOnA.id());
        assertThat(ids(query(null, "echo", null, null))).containsExactly(echoOnB.id(), echoOnA.id(), echoLocal.id());
        assertThat(ids(query(null, null, "node-a", null))).containsExactly(echoOnA.id(), shellOnA.id());
        assertThat(ids(query(null, null, null, "network"))).containsExactly(echoOnA.id(), shellOnA.id());
        assertThat(ids(query(RUNNING, "echo", "node-b", "HYBRID"))).containsExactly(echoOnB.id());
        assertThat(ids(query(QUEUED, "shell", null, null))).isEmpty();
    }

    @Test
    void listPagesNewestFirstWithoutDuplicatesOrGaps() {
        List<Job> jobs = IntStream.range(0, 25).mapToObj(i -> aJob()).toList();
        store.apply(inserts(jobs));
        List<String> newestFirst =
                jobs.stream().map(Job::id).sorted(Comparator.reverseOrder()).toList();

        List<String> seen = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 10; page++) { // 3 pages expected; the bound stops a cursor that never ends
            Page p = store.list(new JobQuery(null, null, null, null, 10, cursor));
            seen.addAll(ids(p));
            pageSizes.add(p.jobs().size());
            cursor = p.nextCursor();
            if (cursor == null) {
                break;
            }
        }

        assertThat(pageSizes).containsExactly(10, 10, 5);
        assertThat(seen).isEqualTo(newestFirst);
        assertThat(jobs.getLast().id()).isEqualTo(newestFirst.getFirst());
    }

    @Test
    void listClampsItsLimitBetweenOneAndOneThousand() {
        store.apply(inserts(IntStream.range(0, 1001).mapToObj(i -> aJob()).toList()));

        Page huge = store.list(new JobQuery(null, null, null, null, 5000, null));
        Page unspecified = store.list(new JobQuery(null, null, null, null, 0, null));

        assertThat(huge.jobs()).hasSize(1000);
        assertThat(huge.nextCursor()).isNotNull();
        assertThat(unspecified.jobs()).hasSize(JdbcJobStore.DEFAULT_LIMIT);
        assertThat(new HashSet<>(ids(huge))).hasSize(1000);
    }

    @Test
    void loadNonTerminalReturnsExactlyTheUnfinishedJobs() {
        Map<JobStatus, Job> byStatus = new EnumMap<>(JobStatus.class);
        for (JobStatus status : JobStatus.values()) {
            byStatus.put(status, jobIn(status));
        }
        store.apply(inserts(List.copyOf(byStatus.values())));

        List<Job> unfinished = store.loadNonTerminal();

        assertThat(unfinished)
                .extracting(Job::status)
                .containsExactlyInAnyOrder(
                        byStatus.keySet().stream().filter(s -> !s.isTerminal()).toArray(JobStatus[]::new));
        assertThat(unfinished).allSatisfy(job -> assertThat(job).isEqualTo(byStatus.get(job.status())));
    }

    @Test
    void eventsComeBackInSeqOrderAfterTheGivenSeq() {
        Job job = aJob();
        Job other = aJob();
        store.apply(List.of(
                insert(job),
                event(progressEvent(job.id(), 3)),
                event(progressEvent(job.id(), 1)),
                event(progressEvent(other.id(), 2)),
                event(progressEvent(job.id(), 2)),
                event(JobEvent.end(withState(job, COMPLETED, "node-a"), 5)),
                event(progressEvent(job.id(), 4))));

        assertThat(store.events(job.id(), 0)).extracting(JobEvent::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(store.events(job.id(), 2)).extracting(JobEvent::seq).containsExactly(3L, 4L, 5L);
        assertThat(store.events(job.id(), 5)).isEmpty();
        assertThat(store.events(job.id(), 0).getFirst()).isEqualTo(progressEvent(job.id(), 1));
        assertThat(store.events(job.id(), 4).getFirst().kind()).isEqualTo(JobEvent.Kind.END);
        assertThat(store.events(other.id(), 0)).extracting(JobEvent::seq).containsExactly(2L);
    }

    @Test
    void aTerminalStatusAndItsEndAreOneRowReadBackAsBothEvents() throws Exception {
        Job job = aJob();
        Job done = withState(job, COMPLETED, "node-a");
        JobEvent status = JobEvent.status(done, 4);
        JobEvent end = JobEvent.end(done, 6); // seq 5 went to another job's event meanwhile
        Write pair = new Write.AppendEnd(status, end);

        List<Outcome> outcomes = store.apply(List.of(insert(job), event(progressEvent(job.id(), 2)), pair));

        assertThat(outcomes).containsExactly(APPLIED, APPLIED, APPLIED);
        assertThat(store.events(job.id(), 0)).containsExactly(progressEvent(job.id(), 2), status, end);
        assertThat(store.events(job.id(), 3)).containsExactly(status, end);
        assertThat(store.events(job.id(), 4)).containsExactly(end);
        assertThat(store.events(job.id(), 6)).isEmpty();
        assertThat(eventRows(job.id())).isEqualTo(2);
        assertThat(store.apply(List.of(pair))).containsExactly(CONFLICT);
        assertThat(store.events(job.id(), 0)).hasSize(3);
    }

    /** Rows in {@code job_events} for {@code jobId}, read past the store on a connection of its own. */
    private long eventRows(String jobId) throws SQLException {
        try (Connection c = DriverManager.getConnection(url);
                PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM job_events WHERE job_id = ?")) {
            ps.setString(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void listsAndCountsAgreeOnTheValuesTheIndexesLeaveOut() {
        Job completedHybrid = jobIn(COMPLETED);
        Job completedLocal = withState(aJob("echo", Scope.LOCAL), COMPLETED, "node-a");
        Job queuedHybrid = aJob();
        Job failedNetwork = withState(aJob("echo", Scope.NETWORK), JobStatus.FAILED, "node-b");
        Job finishesLater = aJob();
        store.apply(inserts(List.of(completedHybrid, completedLocal, queuedHybrid, failedNetwork, finishesLater)));
        assertThat(store.apply(List.of(update(withState(finishesLater, COMPLETED, "node-a")))))
                .containsExactly(APPLIED);

        assertThat(ids(query(COMPLETED, null, null, null)))
                .containsExactly(finishesLater.id(), completedLocal.id(), completedHybrid.id());
        assertThat(ids(query(QUEUED, null, null, null))).containsExactly(queuedHybrid.id());
        assertThat(ids(query(JobStatus.FAILED, null, null, null))).containsExactly(failedNetwork.id());
        assertThat(ids(query(null, null, null, "HYBRID")))
                .containsExactly(finishesLater.id(), queuedHybrid.id(), completedHybrid.id());
        assertThat(ids(query(COMPLETED, null, "node-a", "LOCAL"))).containsExactly(completedLocal.id());
        assertThat(store.countByStatus())
                .containsEntry(COMPLETED, 3L)
                .containsEntry(QUEUED, 1L)
                .containsEntry(JobStatus.FAILED, 1L)
                .containsEntry(RUNNING, 0L);
        assertThat(store.loadNonTerminal()).extracting(Job::id).containsExactly(queuedHybrid.id());
    }

    @Test
    void statusAndScopeFiltersUseTheirIndexesWhateverTheBoundValue() throws SQLException {
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            jobs.add(jobIn(COMPLETED));
        }
        for (int i = 0; i < 5; i++) {
            jobs.add(aJob("echo", Scope.LOCAL));
        }
        store.apply(inserts(jobs));
        JdbcJobStore jdbc = (JdbcJobStore) store;
        try (Connection c = DriverManager.getConnection(url)) {
            try (Statement analyze = c.createStatement()) {
                analyze.execute("ANALYZE");
            }
            assertThat(genericPlan(c, jdbc.listStatement(new JobQuery(QUEUED, null, null, null, 10, null), 10)))
                    .contains("jobs_status_id");
            assertThat(genericPlan(c, jdbc.listStatement(new JobQuery(null, null, null, "LOCAL", 10, null), 10)))
                    .contains("jobs_scope_id");
        }
    }

    @Test
    void countByStatusCountsEveryStatusIncludingZero() {
        store.apply(inserts(List.of(jobIn(QUEUED), jobIn(QUEUED), jobIn(RUNNING), jobIn(COMPLETED))));

        Map<JobStatus, Long> counts = store.countByStatus();

        assertThat(counts).hasSize(JobStatus.values().length);
        assertThat(counts).containsEntry(QUEUED, 2L).containsEntry(RUNNING, 1L).containsEntry(COMPLETED, 1L);
        assertThat(counts).containsEntry(ASSIGNED, 0L);
    }

    @Test
    void everythingCommittedSurvivesClosingAndReopeningTheDatabase() {
        Job running = withState(aJob(), RUNNING, "node-a");
        Job keyed = aJobWithKey("k-1");
        store.apply(List.of(insert(running), insert(keyed), event(progressEvent(running.id(), 1))));
        try (GroupCommitWriter writer = new GroupCommitWriter(store, 64)) {
            writer.submit(update(withState(running, COMPLETED, "node-a"))).join();
        }
        db.nodes().upsert(new NodeStore.NodeRecord("node-a", "alpha", "http://10.0.0.1:8081", "{}"));
        db.close();

        db = Database.open(url);
        store = db.jobs();

        assertThat(store.find(running.id()).orElseThrow().status()).isEqualTo(COMPLETED);
        assertThat(store.findByIdempotencyKey("k-1")).contains(keyed);
        assertThat(store.events(running.id(), 0)).containsExactly(progressEvent(running.id(), 1));
        assertThat(store.loadNonTerminal()).containsExactly(keyed);
        assertThat(db.nodes().find("node-a")).map(NodeStore.NodeRecord::name).contains("alpha");
    }

    @Test
    void twentyThreadsOfFiveHundredSubmitsAllApplyInFarFewerTransactions() throws Exception {
        int threads = 20;
        int perThread = 500;
        List<CompletableFuture<Outcome>> futures = new ArrayList<>();
        try (GroupCommitWriter writer = new GroupCommitWriter(store, 4096);
                ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<java.util.concurrent.Future<List<CompletableFuture<Outcome>>>> submitted = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                submitted.add(pool.submit(() -> IntStream.range(0, perThread)
                        .mapToObj(i -> writer.submit(insert(aJob())))
                        .toList()));
            }
            for (var s : submitted) {
                futures.addAll(s.get(30, TimeUnit.SECONDS));
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

            assertThat(futures)
                    .hasSize(threads * perThread)
                    .allSatisfy(f -> assertThat(f.join()).isEqualTo(APPLIED));
            assertThat(writer.writes()).isEqualTo(threads * perThread);
            assertThat(writer.transactions()).isPositive().isLessThan(threads * perThread / 10);
        }
        assertThat(store.countByStatus()).containsEntry(QUEUED, (long) threads * perThread);
    }

    @Test
    void aFailingBatchFailsItsFuturesAndTheWriterKeepsWorking() throws Exception {
        Job good = aJob();
        Job later = aJob();
        try (GroupCommitWriter writer = new GroupCommitWriter(store, 4096)) {
            CompletableFuture<List<Outcome>> failing =
                    writer.submitAll(List.of(insert(good), insert(withId(aJob(), null))));

            assertThatThrownBy(() -> failing.get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(StoreException.class);
            assertThat(writer.submit(insert(later)).get(30, TimeUnit.SECONDS)).isEqualTo(APPLIED);
            assertThat(writer.failedTransactions()).isEqualTo(1);
        }
        assertThat(store.find(good.id())).isEmpty();
        assertThat(store.find(later.id())).contains(later);
    }

    @Test
    void submitAllCommitsItsWritesTogetherInOrder() throws Exception {
        Job job = aJob();
        try (GroupCommitWriter writer = new GroupCommitWriter(store, 4096)) {
            List<Outcome> outcomes = writer.submitAll(List.of(
                            insert(job),
                            update(withState(job, ASSIGNED, "node-a")),
                            event(progressEvent(job.id(), 1)),
                            update(withState(job, QUEUED, null).withProgress(0.1, at(3))),
                            update(withState(job, PENDING, null))))
                    .get(30, TimeUnit.SECONDS);

            assertThat(outcomes).containsExactly(APPLIED, APPLIED, APPLIED, APPLIED, REFUSED);
            assertThat(writer.transactions()).isEqualTo(1);
            assertThat(writer.writes()).isEqualTo(5);
        }
        assertThat(store.find(job.id()).orElseThrow().progress()).isEqualTo(0.1);
    }

    @Test
    void closeCommitsEverythingAcceptedAndThenRefusesNewWrites() {
        List<Job> jobs = IntStream.range(0, 1000).mapToObj(i -> aJob()).toList();
        GroupCommitWriter writer = new GroupCommitWriter(store, 100);
        List<CompletableFuture<Outcome>> futures =
                jobs.stream().map(j -> writer.submit(insert(j))).toList();

        writer.close();

        assertThat(futures).allSatisfy(f -> assertThat(f).isCompletedWithValue(APPLIED));
        assertThat(writer.transactions()).isGreaterThanOrEqualTo(10);
        assertThat(store.countByStatus()).containsEntry(QUEUED, 1000L);
        assertThat(writer.submit(insert(aJob())))
                .failsWithin(java.time.Duration.ofSeconds(1))
                .withThrowableThat()
                .withCauseInstanceOf(IllegalStateException.class);
    }

    private List<Job> query(JobStatus status, String type, String node, String scope) {
        return store.list(new JobQuery(status, type, node, scope, 100, null)).jobs();
    }

    private static List<String> ids(List<Job> jobs) {
        return jobs.stream().map(Job::id).toList();
    }

    private static List<String> ids(Page page) {
        return ids(page.jobs());
    }

    private static Job withId(Job job, String id) {
        return job.toBuilder().id(id).build();
    }
}
