package org.planetarymesh.coordinator.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.planetarymesh.coordinator.events.JobEventHub;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobIds;
import org.planetarymesh.core.schedule.Schedule;
import org.planetarymesh.store.GroupCommitWriter;
import org.planetarymesh.store.ScheduleRun;
import org.planetarymesh.store.ScheduleStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the coordinator's cron schedules: one thread sleeps until the next tick any schedule owes and fires it
 * ({@link ScheduleTicks}). The API's changes (create, pause, resume, delete) are written to the store at once and then
 * read by that thread; it also reads every schedule again every {@link #RELOAD}, which is how it learns of changes
 * made through another coordinator on the same database. Schedules are not the job scheduler's state: their jobs are
 * ordinary jobs, handed to it like any submitted one.
 */
public final class ScheduleRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduleRunner.class);

    /** How often every schedule is read again from the store. */
    static final Duration RELOAD = Duration.ofSeconds(5);

    private final ScheduleStore store;
    private final ScheduledJobs jobs;
    private final ScheduleTicks ticks;
    private final InstantSource clock;
    private final BlockingQueue<Runnable> inbox = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean stopping;

    /** A runner storing through {@code writer} and handing the jobs it stores to {@code scheduler}. */
    public ScheduleRunner(
            ScheduleStore store,
            GroupCommitWriter writer,
            JobEventHub hub,
            Consumer<List<Job>> scheduler,
            InstantSource clock) {
        this.store = store;
        this.clock = clock;
        this.jobs = new ScheduledJobs(writer, hub, scheduler);
        this.ticks = new ScheduleTicks(store, jobs, clock);
        this.thread = Thread.ofPlatform().name("mesh-schedules").daemon().unstarted(this::run);
    }

    /** Reads the schedules and starts firing them (missed ticks first, by each schedule's policy). */
    public void start() {
        thread.start();
    }

    /** Stores a new schedule and arms it. */
    public Schedule create(Schedule schedule) {
        store.insert(schedule);
        changed(schedule.id());
        return schedule;
    }

    public Optional<Schedule> find(String id) {
        return store.find(id);
    }

    public List<Schedule> list() {
        return store.list();
    }

    /** Pauses {@code id}: it fires no more until resumed. Empty if there is no such schedule. */
    public Optional<Schedule> pause(String id) {
        return store.find(id).map(s -> {
            store.setPaused(id, true, s.nextFire());
            changed(id);
            return s.withPaused(true, s.nextFire());
        });
    }

    /** Resumes {@code id} at its next tick from now (ticks passed while paused are not run). */
    public Optional<Schedule> resume(String id) {
        return store.find(id).map(s -> {
            Instant next = CronTimes.parse(s.cron(), ZoneId.of(s.zone())).nextAfter(clock.instant());
            store.setPaused(id, false, next);
            changed(id);
            return s.withPaused(false, next);
        });
    }

    /** Deletes {@code id}; its jobs stay. False if there was none. */
    public boolean delete(String id) {
        boolean deleted = store.delete(id);
        changed(id);
        return deleted;
    }

    /** Makes one job from {@code schedule} now, outside its ticks; completes with the job once it is stored. */
    public CompletableFuture<Job> runNow(Schedule schedule) {
        Instant now = clock.instant();
        String jobId = JobIds.next();
        Job job = Job.submitted(
                jobId,
                schedule.job().withIdempotencyKey("schedule:" + schedule.id() + ":run:" + jobId),
                schedule.owner(),
                now);
        return jobs.store(job, new ScheduleRun(schedule.id(), now, jobId)).thenApply(stored -> job);
    }

    private void changed(String id) {
        inbox.add(() -> ticks.reload(id));
    }

    private void run() {
        Instant reloadAt = Instant.MIN;
        while (!stopping) {
            try {
                Instant now = clock.instant();
                if (!now.isBefore(reloadAt)) {
                    ticks.reloadAll();
                    reloadAt = now.plus(RELOAD);
                }
                ticks.fireDue();
                Runnable task = inbox.poll(waitMillis(reloadAt), TimeUnit.MILLISECONDS);
                for (; task != null; task = inbox.poll()) {
                    task.run();
                }
            } catch (InterruptedException e) {
                if (stopping) {
                    return;
                }
            } catch (RuntimeException e) {
                LOG.warn("schedules: {} (retrying at the next reload)", e.getMessage());
                reloadAt = clock.instant().plus(RELOAD);
                sleepQuietly();
            }
        }
    }

    private long waitMillis(Instant reloadAt) {
        Instant wake = reloadAt;
        Instant due = ticks.nextDue();
        if (due != null && due.isBefore(wake)) {
            wake = due;
        }
        long nanos = Duration.between(clock.instant(), wake).toNanos();
        return nanos <= 0 ? 0 : (nanos + 999_999) / 1_000_000; // rounded up: woken early, it would spin until due
    }

    private void sleepQuietly() {
        try {
            Thread.sleep(RELOAD.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        }
    }

    @Override
    public void close() {
        stopping = true;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
