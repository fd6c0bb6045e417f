package org.planetarymesh.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobEvent;
import org.planetarymesh.core.job.JobIds;
import org.planetarymesh.core.job.JobSpec;
import org.planetarymesh.core.job.RetryPolicy;
import org.planetarymesh.core.schedule.MissedFires;
import org.planetarymesh.core.schedule.Schedule;
import org.planetarymesh.store.JobStore.Outcome;
import org.planetarymesh.store.JobStore.Write;

/**
 * The schedule store on each dialect, and the fire that never happens twice: a tick's job insert (keyed by schedule
 * and tick) and the schedule's move to its next tick commit together, and a second fire of the same tick, from this
 * process or another one racing it, stores nothing.
 */
abstract class ScheduleStoreContract {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    private String url;
    private Database db;

    protected abstract String freshDatabaseUrl();

    @BeforeEach
    void openDatabase() {
        url = freshDatabaseUrl();
        db = Database.open(url);
    }

    @AfterEach
    void closeDatabase() {
        db.close();
    }

    private static Schedule schedule(Instant next) {
        JobSpec template = JobSpec.of("echo", null).withPriority(3).withRetry(new RetryPolicy(1, null));
        return new Schedule(
                JobIds.next(),
                "*/5 * * * * *",
                "Europe/Paris",
                template,
                MissedFires.SKIP,
                false,
                next,
                null,
                null,
                T0,
                "token-1");
    }

    private static List<Write> fire(Schedule s, Instant tick, Instant next) {
        Job job = Job.submitted(JobIds.next(), s.job().withIdempotencyKey(Schedule.tickKey(s.id(), tick)), T0);
        return List.of(
                new Write.Insert(job),
                new Write.AppendEvent(JobEvent.status(job, 1)),
                new Write.Row(new ScheduleFire(s.id(), tick, tick, next, job.id())));
    }

    @Test
    void aScheduleReadsBackAsSavedAndCanBePausedAndDeleted() {
        Schedule s = schedule(T0.plusSeconds(5));
        db.schedules().insert(s);

        assertThat(db.schedules().find(s.id())).contains(s);
        assertThat(db.schedules().list()).containsExactly(s);

        assertThat(db.schedules().setPaused(s.id(), true, T0.plusSeconds(5))).isTrue();
        assertThat(db.schedules().find(s.id()).orElseThrow().paused()).isTrue();
        assertThat(db.schedules().delete(s.id())).isTrue();
        assertThat(db.schedules().delete(s.id())).isFalse();
        assertThat(db.schedules().find(s.id())).isEmpty();
    }

    @Test
    void aTickFiresOnceAndASecondFireOfItStoresNothing() {
        Instant tick = T0.plusSeconds(5);
        Schedule s = schedule(tick);
        db.schedules().insert(s);

        assertThat(db.jobs().apply(fire(s, tick, tick.plusSeconds(5))))
                .containsExactly(Outcome.APPLIED, Outcome.APPLIED, Outcome.APPLIED);
        assertThat(db.jobs().apply(fire(s, tick, tick.plusSeconds(5))))
                .as("the same tick again")
                .containsExactly(Outcome.CONFLICT, Outcome.APPLIED, Outcome.CONFLICT);

        Schedule after = db.schedules().find(s.id()).orElseThrow();
        assertThat(after.nextFire()).isEqualTo(tick.plusSeconds(5));
        assertThat(after.lastFire()).isEqualTo(tick);
        assertThat(db.jobs().findByIdempotencyKey(Schedule.tickKey(s.id(), tick)))
                .map(Job::id)
                .contains(after.lastJobId());
    }

    @Test
    void aPausedScheduleIsNotMovedOnByAFire() {
        Instant tick = T0.plusSeconds(5);
        Schedule s = schedule(tick);
        db.schedules().insert(s);
        db.schedules().setPaused(s.id(), true, tick);

        assertThat(db.jobs().apply(fire(s, tick, tick.plusSeconds(5))).getLast())
                .isEqualTo(Outcome.CONFLICT);
        assertThat(db.schedules().find(s.id()).orElseThrow().nextFire()).isEqualTo(tick);
    }

    @Test
    void advanceMovesOnOnlyFromTheTickItExpects() {
        Instant tick = T0.plusSeconds(5);
        Schedule s = schedule(tick);
        db.schedules().insert(s);

        assertThat(db.schedules().advance(s.id(), tick, tick.plusSeconds(60))).isTrue();
        assertThat(db.schedules().advance(s.id(), tick, tick.plusSeconds(120))).isFalse();
        assertThat(db.schedules().find(s.id()).orElseThrow().nextFire()).isEqualTo(tick.plusSeconds(60));
    }

    @Test
    void twoProcessesRacingForEachTickStoreOneJobPerTick() throws Exception {
        int ticks = 20;
        Schedule s = schedule(T0);
        db.schedules().insert(s);
        try (Database other = Database.open(url);
                ExecutorService pool = Executors.newFixedThreadPool(2)) {
            for (int i = 0; i < ticks; i++) {
                Instant tick = T0.plusSeconds(5L * i);
                Instant next = tick.plusSeconds(5);
                CyclicBarrier together = new CyclicBarrier(2);
                List<CompletableFuture<List<Outcome>>> racers = new ArrayList<>();
                for (Database coordinator : List.of(db, other)) {
                    racers.add(CompletableFuture.supplyAsync(
                            () -> {
                                List<Write> writes = fire(s, tick, next);
                                await(together);
                                return coordinator.jobs().apply(writes);
                            },
                            pool));
                }
                List<Outcome> inserts =
                        racers.stream().map(r -> r.join().getFirst()).toList();
                assertThat(inserts).as("tick %s", tick).containsExactlyInAnyOrder(Outcome.APPLIED, Outcome.CONFLICT);
            }
        }
        assertThat(db.jobs()
                        .list(new JobStore.JobQuery(null, "echo", null, null, 100, null))
                        .jobs())
                .hasSize(ticks);
        assertThat(db.schedules().find(s.id()).orElseThrow().nextFire()).isEqualTo(T0.plusSeconds(5L * ticks));
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
