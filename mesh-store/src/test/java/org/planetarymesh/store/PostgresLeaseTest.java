package org.planetarymesh.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.planetarymesh.store.StoreFixtures.aJob;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.store.JobStore.Write;
import org.planetarymesh.testkit.db.PostgresServer;

/**
 * The coordinators' lease and the write fence on a real PostgreSQL server: two {@link Database}s on one database play
 * an old leader and the standby that takes over from it.
 */
class PostgresLeaseTest {

    @Test
    void theFirstTakeOverOfAFreshLeaseWinsEpochOneAndASecondWithTheSameViewLoses() {
        String url = PostgresServer.freshDatabaseUrl();
        try (Database a = Database.open(url);
                Database b = Database.open(url)) {
            CoordinatorLease.State fresh = a.lease().read();
            assertThat(fresh.holder()).isNull();
            assertThat(a.lease().takeOver(fresh, "a", "http://a").getAsLong()).isEqualTo(fresh.epoch() + 1);
            assertThat(b.lease().takeOver(fresh, "b", "http://b"))
                    .as("the lease moved on")
                    .isEmpty();
            CoordinatorLease.State now = b.lease().read();
            assertThat(now.holder()).isEqualTo("a");
            assertThat(now.holderUrl()).isEqualTo("http://a");
        }
    }

    @Test
    void renewalsCountWhileTheLeaseIsTheHoldersAndFailOnceAnotherTookIt() {
        String url = PostgresServer.freshDatabaseUrl();
        try (Database a = Database.open(url);
                Database b = Database.open(url)) {
            long epoch = a.lease().takeOver(a.lease().read(), "a", "http://a").getAsLong();
            assertThat(a.lease().renew(epoch, "a")).isTrue();
            assertThat(a.lease().renew(epoch, "a")).isTrue();
            CoordinatorLease.State seen = b.lease().read();
            assertThat(seen.renewals()).isEqualTo(2);
            assertThat(b.lease().takeOver(seen, "b", "http://b")).isPresent();
            assertThat(a.lease().renew(epoch, "a"))
                    .as("a renewal after the takeover")
                    .isFalse();
        }
    }

    @Test
    void aDeposedLeadersWritesAreRefusedAndNothingOfThemLands() throws Exception {
        String url = PostgresServer.freshDatabaseUrl();
        try (Database old = Database.open(url);
                Database next = Database.open(url)) {
            long epoch = old.lease()
                    .takeOver(old.lease().read(), "old", "http://old")
                    .getAsLong();
            AtomicLong heardEpoch = new AtomicLong(-1);
            old.fenceWrites(epoch, heardEpoch::set);
            Job before = aJob();
            old.jobs().apply(List.of(new Write.Insert(before)));
            assertThat(next.jobs().find(before.id()))
                    .as("a write while it leads")
                    .isPresent();

            long newEpoch = next.lease()
                    .takeOver(next.lease().read(), "next", "http://next")
                    .getAsLong();
            Job late = aJob();
            GroupCommitWriter writer = new GroupCommitWriter(old.jobs(), 100);
            try {
                CompletableFuture<JobStore.Outcome> refused = writer.submit(new Write.Insert(late));
                assertThatThrownBy(() -> refused.get(30, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class)
                        .hasRootCauseInstanceOf(FencedWriteException.class)
                        .rootCause()
                        .hasMessageContaining("epoch " + epoch)
                        .hasMessageContaining("epoch " + newEpoch);
            } finally {
                writer.close();
            }
            assertThat(heardEpoch.get()).as("the old leader is told").isEqualTo(newEpoch);
            assertThat(next.jobs().find(late.id())).as("the late write").isEmpty();
            assertThatThrownBy(() -> old.nodes().delete("any-node"))
                    .as("writes of the other stores are fenced too")
                    .hasRootCauseInstanceOf(FencedWriteException.class);

            next.fenceWrites(newEpoch, e -> {});
            Job after = aJob();
            next.jobs().apply(List.of(new Write.Insert(after)));
            assertThat(old.jobs().find(after.id())).as("the new leader writes").isPresent();
        }
    }

    @Test
    void aTransactionOfTheOldLeaderThatSpansTheTakeoverIsRefusedAtItsCommit() throws Exception {
        // The epoch is checked at commit: a transaction begun while it led and committed after the takeover fails.
        String url = PostgresServer.freshDatabaseUrl();
        try (Database old = Database.open(url);
                Database next = Database.open(url)) {
            long epoch = old.lease()
                    .takeOver(old.lease().read(), "old", "http://old")
                    .getAsLong();
            old.fenceWrites(epoch, e -> {});
            try (var open = old.writerConnection();
                    var insert = open.prepareStatement("INSERT INTO coordinators (id, url, role, started_at, seen_at)"
                            + " VALUES ('late', 'http://late', 'standby', now(), now())")) {
                insert.executeUpdate();
                assertThat(next.lease().takeOver(next.lease().read(), "next", "http://next"))
                        .as("the takeover does not wait for a transaction that has not reached its commit")
                        .isPresent();
                assertThatThrownBy(open::commit).isInstanceOf(FencedWriteException.class);
                open.rollback();
            }
            assertThat(next.lease().members())
                    .extracting(CoordinatorLease.Member::id)
                    .doesNotContain("late");
        }
    }

    @Test
    void membersListEveryReportedCoordinatorAndForgetOneThatLeaves() {
        String url = PostgresServer.freshDatabaseUrl();
        try (Database db = Database.open(url)) {
            db.lease().report("a", "http://a", "leader");
            db.lease().report("b", "http://b", "standby");
            db.lease().report("b", "http://b2", "standby");
            assertThat(db.lease().members())
                    .extracting(CoordinatorLease.Member::id, CoordinatorLease.Member::url)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple("a", "http://a"),
                            org.assertj.core.groups.Tuple.tuple("b", "http://b2"));
            db.lease().leave("a");
            assertThat(db.lease().members())
                    .extracting(CoordinatorLease.Member::id)
                    .containsExactly("b");
        }
    }

    @Test
    void aReleasedLeaseHasNoHolderSoAStandbyTakesItAtOnce() {
        String url = PostgresServer.freshDatabaseUrl();
        try (Database db = Database.open(url)) {
            long epoch = db.lease().takeOver(db.lease().read(), "a", "http://a").getAsLong();
            db.lease().release(epoch, "a");
            CoordinatorLease.State state = db.lease().read();
            assertThat(state.holder()).isNull();
            assertThat(state.epoch()).isEqualTo(epoch);
        }
    }
}
