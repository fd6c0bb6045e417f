package org.planetarymesh.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.planetarymesh.store.StoreFixtures.aJob;
import static org.planetarymesh.store.StoreFixtures.insert;
import static org.planetarymesh.store.StoreFixtures.progressEvent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.store.JobStore.Outcome;
import org.planetarymesh.store.JobStore.Write;
import org.planetarymesh.testkit.faults.KillablePostgres;

/**
 * The group-commit writer across a real outage: Debian's PostgreSQL server killed with SIGKILL mid-run and started
 * again on the same data dir. Nothing queued may be dropped, failed or committed out of order, and the writer must
 * say the store is down while it is.
 */
class GroupCommitWriterOutageTest {

    private static final Duration OUTAGE_SEEN = Duration.ofSeconds(30);
    private static final Duration RECOVERY = Duration.ofSeconds(90);

    private KillablePostgres postgres;
    private Database database;
    private GroupCommitWriter writer;

    @BeforeEach
    void start() {
        postgres = KillablePostgres.create();
        database = Database.open(postgres.jdbcUrl());
        writer = new GroupCommitWriter(database.jobs(), 1_000);
    }

    @AfterEach
    void stop() {
        if (writer != null) {
            writer.close();
        }
        if (database != null) {
            database.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void writesQueuedWhileThePostmasterIsKilledCommitOnceInOrderWhenItIsBack() {
        List<Job> before = jobs(100);
        assertThat(writer.submitAll(inserts(before)).join()).containsOnly(Outcome.APPLIED);
        assertThat(writer.health().up()).isTrue();

        postgres.kill9();
        List<String> completionOrder = new CopyOnWriteArrayList<>();
        List<CompletableFuture<List<Outcome>>> during = new ArrayList<>();
        List<Job> queued = new ArrayList<>();
        for (int group = 0; group < 20; group++) {
            List<Job> jobs = jobs(10);
            queued.addAll(jobs);
            String name = "group " + group;
            List<Write> writes = new ArrayList<>(inserts(jobs));
            jobs.forEach(job -> writes.add(new Write.AppendEvent(progressEvent(job.id(), 1))));
            during.add(writer.submitAll(writes).whenComplete((outcomes, error) -> completionOrder.add(name)));
        }
        await().atMost(OUTAGE_SEEN).until(() -> !writer.health().up());
        StoreHealth down = writer.health();
        assertThat(down.downSince()).isNotNull();
        assertThat(down.lastError()).isNotBlank();
        assertThat(down.waitingWrites()).isEqualTo(20 * 20);
        assertThat(during)
                .as("no write waiting for the store is completed or failed")
                .noneMatch(CompletableFuture::isDone);

        postgres.start();
        await().atMost(RECOVERY).until(() -> during.stream().allMatch(CompletableFuture::isDone));
        for (CompletableFuture<List<Outcome>> group : during) {
            assertThat(group)
                    .isCompletedWithValueMatching(outcomes -> outcomes.stream().allMatch(o -> o == Outcome.APPLIED));
        }
        assertThat(completionOrder)
                .as("futures complete in submission order")
                .containsExactly(java.util.stream.IntStream.range(0, 20)
                        .mapToObj(i -> "group " + i)
                        .toArray(String[]::new));
        assertThat(writer.health().up()).isTrue();
        assertThat(database.jobs().countByStatus().get(JobStatus.QUEUED))
                .as("every job stored exactly once")
                .isEqualTo(before.size() + queued.size());
        for (Job job : queued.subList(0, 5)) {
            assertThat(database.jobs().events(job.id(), 0)).hasSize(1);
        }
    }

    @Test
    void anIdleWriterNoticesThatTheServerIsGoneAndThatItCameBack() {
        assertThat(writer.submit(insert(aJob())).join()).isEqualTo(Outcome.APPLIED);
        postgres.kill9();
        await().atMost(OUTAGE_SEEN).until(() -> !writer.health().up());
        assertThat(writer.health().waitingWrites()).isZero();
        postgres.start();
        await().atMost(RECOVERY).until(() -> writer.health().up());
    }

    @Test
    void aBatchTheStoreRefusesForItsContentFailsAtOnceAndLaterBatchesStillCommit() {
        // PostgreSQL stores no NUL character in text: the same writes would fail on every retry.
        Job bad = Job.submitted(
                org.planetarymesh.core.job.JobIds.next(),
                StoreFixtures.spec("echo\u0000", org.planetarymesh.core.job.Scope.HYBRID),
                StoreFixtures.at(0));
        CompletableFuture<Outcome> refused = writer.submit(insert(bad));
        await().atMost(OUTAGE_SEEN).until(refused::isDone);
        assertThat(refused).isCompletedExceptionally();
        assertThat(writer.health().up()).isTrue();
        assertThat(writer.submit(insert(aJob())).join()).isEqualTo(Outcome.APPLIED);
    }

    private static List<Job> jobs(int n) {
        List<Job> jobs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            jobs.add(aJob());
        }
        return jobs;
    }

    private static List<Write> inserts(List<Job> jobs) {
        return StoreFixtures.inserts(jobs);
    }
}
