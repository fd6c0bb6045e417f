package org.planetarymesh.bench;

import java.time.Duration;

/**
 * CPU time of the mesh under test alone: this JVM (coordinator, clients) and every process it started (the agents),
 * from {@link ProcessHandle.Info#totalCpuDuration}. Unlike {@link MachineCpu} it leaves out whatever else the machine
 * runs, so on a shared machine it is the figure to compare two configurations by.
 */
final class MeshCpu {

    private MeshCpu() {}

    /** CPU seconds used so far by this process and its descendants (those that have ended are not counted). */
    static double seconds() {
        Duration total = cpu(ProcessHandle.current());
        for (ProcessHandle child : ProcessHandle.current().descendants().toList()) {
            total = total.plus(cpu(child));
        }
        return total.toNanos() / 1e9;
    }

    private static Duration cpu(ProcessHandle process) {
        return process.info().totalCpuDuration().orElse(Duration.ZERO);
    }
}
