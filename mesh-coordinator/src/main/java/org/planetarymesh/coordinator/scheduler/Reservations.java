package org.planetarymesh.coordinator.scheduler;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.planetarymesh.core.job.Resources;

/**
 * The resources a node's running jobs hold (their {@code requirements.resources}), so concurrent jobs are placed only
 * where the unreserved part still fits. A job's reservation lasts while the node runs it: entries whose job left the
 * node's running set are dropped when next read, so releasing needs no hook where a job ends.
 */
final class Reservations {

    private final Map<String, Resources> byJob = new HashMap<>();

    /** {@code jobId} now runs on the node and holds {@code need} (nothing for a job that needs nothing). */
    void reserve(String jobId, Resources need) {
        if (!need.equals(Resources.NONE)) {
            byJob.put(jobId, need);
        }
    }

    /** What of {@code offered} the jobs still in {@code running} leave free. */
    Resources free(Resources offered, Set<String> running) {
        if (byJob.isEmpty()) {
            return offered;
        }
        double cpu = offered.cpu();
        long memoryMb = offered.memoryMb();
        int gpus = offered.gpus();
        for (Iterator<Map.Entry<String, Resources>> it = byJob.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Resources> held = it.next();
            if (!running.contains(held.getKey())) {
                it.remove();
                continue;
            }
            cpu -= held.getValue().cpu();
            memoryMb -= held.getValue().memoryMb();
            gpus -= held.getValue().gpus();
        }
        return new Resources(Math.max(0, cpu), Math.max(0, memoryMb), Math.max(0, gpus));
    }
}
