package org.planetarymesh.bench;

import java.lang.management.ManagementFactory;

/** Used heap of this JVM after full collections, for the in-process coordinator's memory per queued job. */
final class HeapProbe {

    private HeapProbe() {}

    /** Bytes of heap in use after asking for a few full collections. */
    static long usedAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
            used = Math.min(
                    used,
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
