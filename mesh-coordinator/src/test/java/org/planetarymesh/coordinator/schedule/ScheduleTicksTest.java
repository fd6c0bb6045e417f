package org.planetarymesh.coordinator.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.planetarymesh.coordinator.events.JobEventHub;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobIds;
import org.planetarymesh.core.job.JobSpec;
import org.planetarymesh.core.schedule.MissedFires;
import org.planetarymesh.core.schedule.Schedule;
import org.planetarymesh.store.Database;
import org.planetarymesh.store.GroupCommitWriter;
import org.planetarymesh.store.JobStore;
import org.planetarymesh.testkit.db.PostgresServer;

/**
 * The firing of schedules on a fake clock against a real store: ticks fire on time, once each; missed ticks follow the
 * schedule's policy after a restart; a pause holds; and two coordinators on one database never fire a tick twice
 * (on SQLite and on PostgreSQL).
 */
class ScheduleTicksTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    @TempDir
    static Path dir;

    private final FakeClock clock = new FakeClock();
    private final List<AutoCloseable> open = new ArrayList<>();

    /** One coordinator's part: its own pool and writer on the database, and the jobs it handed to its scheduler. */
    private final class Coordinator {
        final Database db;
        final ScheduleTicks ticks;
        final List<Job> handedOver = Collections.synchronizedList(new ArrayList<>());

        Coordinator(String url) {
            db = Database.open(url);
            GroupCommitWriter writer = new GroupCommitWriter(db.jobs(), 100);
            open.add(db);
            open.add(writer);
            ticks = new ScheduleTicks(
                    db.schedules(), new ScheduledJobs(writer, new JobEventHub(), handedOver::addAll), clock);
            ticks.reloadAll();
        }

        /** Moves the clock on one second at a time for {@code seconds}, firing what is due at each. */
        void runFor(int seconds) {
            for (int i = 0; i < seconds; i++) {
                clock.advance(Duration.ofSeconds(1));
                ticks.fireDue();
            }
        }
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    static Stream<Arguments> databases() {
        return Stream.of(
                Arguments.of("sqlite", (Supplier<String>) () -> "jdbc:sqlite:" + dir.resolve(JobIds.next() + ".db")),
                Arguments.of("postgresql", (Supplier<String>) PostgresServer::freshDatabaseUrl));
    }

    private Schedule everyFiveSeconds(MissedFires missed) {
        return new Schedule(
                JobIds.next(),
                "*/5 * * * * *",
                "UTC",
                JobSpec.of("echo", null),
                missed,
                false,
                T0.plusSeconds(5),
                null,
                null,
                clock.instant(),
                "token-1");
    }

    private static List<Job> scheduledJobs(Database db, String scheduleId) {
        return db.jobs().list(new JobStore.JobQuery(null, "echo", null, null, 1000, null)).jobs().stream()
                .filter(j -> j.spec().idempotencyKey().startsWith("schedule:" + scheduleId + ":"))
                .toList();
    }

    @Test
    void aScheduleFiresAtEachTickAndOnlyThen() {
        Coordinator mesh = new Coordinator("jdbc:sqlite:" + dir.resolve(JobIds.next() + ".db"));
        Schedule s = everyFiveSeconds(MissedFires.RUN_ONCE);
        mesh.db.schedules().insert(s);
        mesh.ticks.reload(s.id());

        mesh.runFor(4);
        assertThat(mesh.handedOver).as("before its first tick").isEmpty();
        mesh.runFor(56); // to 00:01:00: ticks at 5, 10, ..., 60

        assertThat(mesh.handedOver).hasSize(12);
        assertThat(mesh.handedOver).extracting(j -> j.spec().idempotencyKey()).doesNotHaveDuplicates();
        assertThat(mesh.handedOver.getFirst().createdAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(scheduledJobs(mesh.db, s.id())).hasSize(12);
        Schedule after = mesh.db.schedules().find(s.id()).orElseThrow();
        assertThat(after.lastFire()).isEqualTo(T0.plusSeconds(60));
        assertThat(after.nextFire()).isEqualTo(T0.plusSeconds(65));
        assertThat(after.lastJobId()).isEqualTo(mesh.handedOver.getLast().id());
    }

    @Test
    void afterADowntimeRunOnceMakesOneJobForTheMissedTicksAndSkipMakesNone() {
        String url = "jdbc:sqlite:" + dir.resolve(JobIds.next() + ".db");
        Coordinator before = new Coordinator(url);
        Schedule once = everyFiveSeconds(MissedFires.RUN_ONCE);
        Schedule skip = everyFiveSeconds(MissedFires.SKIP);
        before.db.schedules().insert(once);
        before.db.schedules().insert(skip);
        before.ticks.reloadAll();
        before.runFor(10); // ticks 5 and 10 fire for both

        clock.advance(Duration.ofSeconds(22)); // down from 00:00:10 to 00:00:32: ticks 15 to 30 missed
        Coordinator after = new Coordinator(url);
        after.ticks.fireDue();

        assertThat(after.handedOver).hasSize(1);
        assertThat(after.handedOver.getFirst().spec().idempotencyKey())
                .as("keyed by the tick the schedule owed")
                .isEqualTo(Schedule.tickKey(once.id(), T0.plusSeconds(15)));
        assertThat(after.db.schedules().find(once.id()).orElseThrow().lastFire())
                .as("fired for the latest missed tick")
                .isEqualTo(T0.plusSeconds(30));
        for (Schedule s : List.of(once, skip)) {
            assertThat(after.db.schedules().find(s.id()).orElseThrow().nextFire())
                    .isEqualTo(T0.plusSeconds(35));
        }

        after.runFor(8); // to 00:00:40: ticks 35 and 40 fire for both
        assertThat(scheduledJobs(after.db, once.id())).hasSize(2 + 1 + 2);
        assertThat(scheduledJobs(after.db, skip.id())).hasSize(2 + 2);
    }

    @Test
    void aLateTickWithNoLaterOnePassedStillFiresUnderSkip() {
        Coordinator mesh = new Coordinator("jdbc:sqlite:" + dir.resolve(JobIds.next() + ".db"));
        Schedule hourly = new Schedule(
                JobIds.next(),
                "@hourly",
                "UTC",
                JobSpec.of("echo", null),
                MissedFires.SKIP,
                false,
                T0.plusSeconds(3600),
                null,
                null,
                T0,
                null);
        mesh.db.schedules().insert(hourly);
        clock.advance(Duration.ofSeconds(3600 + 30)); // a restart that took 30 s across the tick
        mesh.ticks.reloadAll();

        mesh.ticks.fireDue();

        assertThat(mesh.handedOver).hasSize(1);
        assertThat(mesh.db.schedules().find(hourly.id()).orElseThrow().nextFire())
                .isEqualTo(T0.plusSeconds(7200));
    }

    @Test
    void aPausedScheduleDoesNotFireEvenIfThisCoordinatorHasNotSeenThePause() {
        Coordinator mesh = new Coordinator("jdbc:sqlite:" + dir.resolve(JobIds.next() + ".db"));
        Schedule s = everyFiveSeconds(MissedFires.RUN_ONCE);
        mesh.db.schedules().insert(s);
        mesh.ticks.reload(s.id());
        mesh.db.schedules().setPaused(s.id(), true, s.nextFire()); // through "another coordinator"

        mesh.runFor(20);

        assertThat(mesh.handedOver).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void twoCoordinatorsOnOneDatabaseFireEachTickOnce(String dialect, Supplier<String> database) {
        String url = database.get();
        Coordinator a = new Coordinator(url);
        Coordinator b = new Coordinator(url);
        Schedule s = everyFiveSeconds(MissedFires.RUN_ONCE);
        a.db.schedules().insert(s);
        a.ticks.reloadAll();
        b.ticks.reloadAll();

        for (int second = 0; second < 60; second++) {
            clock.advance(Duration.ofSeconds(1));
            // Both see the tick due at the same moment, in either order; b's view of the schedule is stale.
            (second % 2 == 0 ? a : b).ticks.fireDue();
            (second % 2 == 0 ? b : a).ticks.fireDue();
        }

        List<Job> stored = scheduledJobs(a.db, s.id());
        assertThat(stored).hasSize(12);
        assertThat(stored).extracting(j -> j.spec().idempotencyKey()).doesNotHaveDuplicates();
        assertThat(a.handedOver.size() + b.handedOver.size())
                .as("each stored job handed to exactly one scheduler")
                .isEqualTo(12);
        assertThat(a.handedOver).as("both fired some").isNotEmpty();
        assertThat(b.handedOver).as("both fired some").isNotEmpty();
    }

    /** A wall clock that moves only when the test says so. */
    private static final class FakeClock implements InstantSource {
        private Instant now = T0;

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }
    }
}
