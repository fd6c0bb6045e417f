package org.planetarymesh.coordinator.scheduler;

import java.time.Instant;
import java.time.InstantSource;
import java.util.function.LongSupplier;

/**
 * The scheduler's two clocks: wall time for what a job records (timestamps, deadlines, retry times) and a monotonic
 * one for timers and node silences, which must not jump when the wall clock is set. Tests pass fakes of both.
 */
record SchedulerClock(InstantSource wall, LongSupplier nanos) {

    static SchedulerClock system() {
        return new SchedulerClock(InstantSource.system(), System::nanoTime);
    }

    Instant now() {
        return wall.instant();
    }

    /** Monotonic milliseconds: only differences between two readings mean anything. */
    long millis() {
        return nanos.getAsLong() / 1_000_000;
    }

    /** The monotonic reading at which the wall clock will show {@code at}. */
    long millisAt(Instant at) {
        return millis() + (at.toEpochMilli() - wall.millis());
    }
}
