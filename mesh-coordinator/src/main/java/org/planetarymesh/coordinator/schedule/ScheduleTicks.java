package org.planetarymesh.coordinator.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobIds;
import org.planetarymesh.core.schedule.MissedFires;
import org.planetarymesh.core.schedule.Schedule;
import org.planetarymesh.store.ScheduleFire;
import org.planetarymesh.store.ScheduleStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The firing of schedules, on one thread ({@link ScheduleRunner}'s): which schedules exist, which tick each owes, and
 * what happens when a tick is due. A fire re-reads its schedule first, so a pause or delete made through any
 * coordinator holds, then stores the tick's job (keyed by schedule and tick) together with the schedule's move to its
 * next tick ({@link ScheduledJobs}). Two coordinators may both try; the key lets one job in.
 *
 * <p>A tick is on time while no later tick has passed and it is at most {@link #ON_TIME} old; it then fires whatever
 * the policy. Otherwise it was missed (no coordinator ran while it passed): {@link MissedFires#RUN_ONCE} fires one job
 * for all the missed ticks, {@link MissedFires#SKIP} none; either way the schedule goes on at its next tick after now.
 */
final class ScheduleTicks {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduleTicks.class);

    /** How late a tick may fire and still count as on time (a slow store, a loaded machine, a quick restart). */
    static final Duration ON_TIME = Duration.ofMinutes(1);

    private final ScheduleStore store;
    private final ScheduledJobs jobs;
    private final InstantSource clock;
    private final Map<String, Schedule> known = new HashMap<>();

    ScheduleTicks(ScheduleStore store, ScheduledJobs jobs, InstantSource clock) {
        this.store = store;
        this.jobs = jobs;
        this.clock = clock;
    }

    /** Reads every schedule from the store again (some may have been made or changed through another coordinator). */
    void reloadAll() {
        known.clear();
        store.list().forEach(s -> known.put(s.id(), s));
    }

    /** Reads one schedule again, or forgets it if it is gone. */
    void reload(String id) {
        store.find(id).ifPresentOrElse(s -> known.put(id, s), () -> known.remove(id));
    }

    /** The earliest tick any running schedule owes, or null if none does. */
    Instant nextDue() {
        Instant earliest = null;
        for (Schedule s : known.values()) {
            if (!s.paused()
                    && s.nextFire() != null
                    && (earliest == null || s.nextFire().isBefore(earliest))) {
                earliest = s.nextFire();
            }
        }
        return earliest;
    }

    /** Fires every schedule whose tick is due. */
    void fireDue() {
        Instant now = clock.instant();
        for (Schedule s : List.copyOf(known.values())) {
            if (!s.paused() && s.nextFire() != null && !s.nextFire().isAfter(now)) {
                try {
                    fire(s.id(), s.nextFire());
                } catch (RuntimeException e) {
                    LOG.warn("schedule {} could not fire its tick {}: {}", s.id(), s.nextFire(), e.getMessage());
                    known.remove(s.id()); // read again at the next reload, rather than retried in a tight loop
                }
            }
        }
    }

    private void fire(String id, Instant tick) {
        Schedule fresh = store.find(id).orElse(null);
        if (fresh == null || fresh.paused() || !tick.equals(fresh.nextFire())) {
            reload(id); // deleted, paused or already fired, here or through another coordinator
            return;
        }
        Instant now = clock.instant();
        CronTimes cron = CronTimes.parse(fresh.cron(), ZoneId.of(fresh.zone()));
        Instant latest = cron.latestAtOrBefore(now);
        Instant next = cron.nextAfter(now);
        boolean onTime = tick.equals(latest) && !now.isAfter(tick.plus(ON_TIME));
        if (!onTime && fresh.missed() == MissedFires.SKIP) {
            LOG.info("schedule {} missed its ticks from {} to {}: skipped, next at {}", id, tick, latest, next);
            store.advance(id, tick, next);
            reload(id);
            return;
        }
        Instant firedFor = onTime ? tick : latest;
        Job job = Job.submitted(
                JobIds.next(), fresh.job().withIdempotencyKey(Schedule.tickKey(id, tick)), fresh.owner(), now);
        boolean stored = await(jobs.store(job, new ScheduleFire(id, tick, firedFor, next, job.id())));
        if (stored) {
            if (!onTime) {
                LOG.info("schedule {} missed its ticks from {} to {}: ran once (job {})", id, tick, latest, job.id());
            }
            known.put(id, fresh.fired(firedFor, job.id(), next));
        } else {
            reload(id); // another coordinator fired this tick first
        }
    }

    private static boolean await(java.util.concurrent.CompletableFuture<Boolean> stored) {
        try {
            return stored.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while storing a scheduled job", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
    }
}
