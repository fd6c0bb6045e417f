package org.planetarymesh.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;

/**
 * The machine's busy CPU time, all processes together, from Linux's {@code /proc/stat}: the coordinator, the agents,
 * the bench's own client and a database server alike. A scenario reads it at the ends of its measured part to report
 * CPU per job: on a machine the mesh keeps busy, the rate is the cores divided by it, so a throughput target reads as
 * a CPU budget per job, comparable with a peer measured the same way (BENCHMARKS.md).
 */
final class MachineCpu {

    private static final Path STAT = Path.of("/proc/stat");
    /** {@code USER_HZ}: the unit of {@code /proc/stat}, 100 on every Linux architecture the JDK runs on. */
    private static final double SECONDS_PER_TICK = 0.01;

    private MachineCpu() {}

    /** Busy CPU seconds since boot (user, nice, system, irq, softirq, steal; not idle or iowait), if readable. */
    static OptionalDouble busySeconds() {
        try {
            String line = Files.readAllLines(STAT).getFirst();
            String[] f = line.trim().split("\\s+");
            if (!f[0].equals("cpu") || f.length < 9) {
                return OptionalDouble.empty();
            }
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) { // user nice system (idle iowait) irq softirq steal
                busy += Long.parseLong(f[i]);
            }
            return OptionalDouble.of(busy * SECONDS_PER_TICK);
        } catch (IOException | RuntimeException e) {
            return OptionalDouble.empty(); // not Linux, or a format this does not know: the figure is left out
        }
    }

    /** Microseconds of busy machine CPU per job between two readings, if both were readable. */
    static OptionalDouble microsPerJob(OptionalDouble before, OptionalDouble after, long jobs) {
        if (before.isEmpty() || after.isEmpty() || jobs <= 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of((after.getAsDouble() - before.getAsDouble()) * 1e6 / jobs);
    }
}
