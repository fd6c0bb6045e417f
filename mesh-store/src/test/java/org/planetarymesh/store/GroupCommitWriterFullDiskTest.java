package org.planetarymesh.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.planetarymesh.store.StoreFixtures.aJob;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.store.JobStore.Outcome;
import org.planetarymesh.testkit.faults.SmallDisk;

/**
 * The group-commit writer on SQLite when the disk fills up: the file lives on a small tmpfs, filled to the last page,
 * so commits fail with SQLITE_FULL as on a real full disk. The batch must wait, not fail, and commit whole once space
 * is freed.
 */
class GroupCommitWriterFullDiskTest {

    @TempDir
    Path dir;

    @Test
    void aBatchThatMeetsAFullDiskWaitsAndCommitsWholeWhenSpaceIsFreed() {
        try (SmallDisk disk = SmallDisk.mount(dir.resolve("data"), 64);
                Database database = Database.sqlite(dir.resolve("data"));
                GroupCommitWriter writer = new GroupCommitWriter(database.jobs(), 100_000)) {
            assertThat(writer.submit(StoreFixtures.insert(aJob())).join()).isEqualTo(Outcome.APPLIED);

            disk.fill();
            // Far more than any WAL space SQLite might reuse: this batch needs new pages.
            List<Job> jobs = new ArrayList<>();
            for (int i = 0; i < 3_000; i++) {
                jobs.add(aJob());
            }
            CompletableFuture<List<Outcome>> batch = writer.submitAll(StoreFixtures.inserts(jobs));
            await().atMost(Duration.ofSeconds(30)).until(() -> !writer.health().up());
            assertThat(writer.health().lastError()).contains("SQLITE_FULL");
            assertThat(batch).as("kept while the disk is full").isNotDone();

            disk.free();
            await().atMost(Duration.ofSeconds(30)).until(batch::isDone);
            assertThat(batch.join()).hasSize(3_000).containsOnly(Outcome.APPLIED);
            assertThat(writer.health().up()).isTrue();
            assertThat(database.jobs().countByStatus().get(JobStatus.QUEUED)).isEqualTo(3_001);

            // The next batch commits as one transaction again (not statement by statement on a stale connection).
            assertThat(writer.submitAll(StoreFixtures.inserts(List.of(aJob(), aJob())))
                            .join())
                    .containsOnly(Outcome.APPLIED);
            assertThat(writer.failedTransactions()).isZero();
        }
    }
}
