package org.planetarymesh.coordinator.scheduler;

import java.time.Instant;
import java.util.PriorityQueue;

/** The scheduler's timers, due on the monotonic clock; the loop sleeps until the next one and fires those due. */
final class TimerQueue {

    /** How long the loop waits for events when no timer is set. */
    private static final long IDLE_WAIT_MS = 1_000;

    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final SchedulerClock clock;

    TimerQueue(SchedulerClock clock) {
        this.clock = clock;
    }

    void at(long dueMillis, Timer.Kind kind, String jobId, int attempt) {
        timers.add(new Timer(dueMillis, kind, jobId, attempt));
    }

    void after(long delayMillis, Timer.Kind kind, String jobId, int attempt) {
        at(clock.millis() + delayMillis, kind, jobId, attempt);
    }

    /** A timer due when the wall clock shows {@code when} (a deadline, a retry time). */
    void atWallTime(Instant when, Timer.Kind kind, String jobId, int attempt) {
        at(clock.millisAt(when), kind, jobId, attempt);
    }

    long millisToNext() {
        Timer next = timers.peek();
        return next == null ? IDLE_WAIT_MS : Math.max(0, next.dueMillis() - clock.millis());
    }

    /** Removes and returns the earliest timer due by {@code nowMillis}, or null when none is. */
    Timer pollDue(long nowMillis) {
        Timer next = timers.peek();
        return next != null && next.dueMillis() <= nowMillis ? timers.poll() : null;
    }
}
