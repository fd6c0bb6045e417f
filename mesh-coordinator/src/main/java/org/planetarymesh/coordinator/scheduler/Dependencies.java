package org.planetarymesh.coordinator.scheduler;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.store.JobStore;

/** Which PENDING jobs wait on which others ({@code depends_on}), and where a dependency's status is read from. */
final class Dependencies {

    private final Map<String, Set<String>> dependents = new HashMap<>();
    private final JobTable jobs;
    private final JobStore store;

    Dependencies(JobTable jobs, JobStore store) {
        this.jobs = jobs;
        this.store = store;
    }

    /** The dependency's status: in memory while it is active or ended recently, else from the store; null if none. */
    JobStatus statusOf(String dependency) {
        JobStatus status = jobs.knownStatus(dependency);
        return status != null ? status : store.find(dependency).map(Job::status).orElse(null);
    }

    void waitFor(String dependency, String jobId) {
        dependents.computeIfAbsent(dependency, d -> new HashSet<>()).add(jobId);
    }

    /** {@code dependency} ended: returns (and forgets) the jobs that waited on it, or null if none did. */
    Set<String> ended(String dependency) {
        return dependents.remove(dependency);
    }
}
