package org.planetarymesh.cli;

import java.time.Duration;
import java.time.Instant;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobStatus;

/** How values are shortened to fit a table cell. */
final class Cells {

    private static final int NODE_WIDTH = 24;

    private Cells() {}

    /** A did:key is ~56 characters; its head and tail are enough to tell nodes apart in a table. */
    static String node(String id) {
        if (id == null || id.length() <= NODE_WIDTH) {
            return id;
        }
        return id.substring(0, NODE_WIDTH - 7) + "…" + id.substring(id.length() - 6);
    }

    /** Time since {@code at}, e.g. {@code 12s}; null if unknown. */
    static String age(Instant at, Instant now) {
        return at == null ? null : Durations.format(Duration.between(at, now));
    }

    /** A job's status, with when a delayed job will start while it waits for that time ({@code PENDING, in 4m}). */
    static String status(Job job, Instant now) {
        if (job.status() == JobStatus.PENDING
                && job.notBefore() != null
                && job.notBefore().isAfter(now)) {
            return job.status() + ", in " + Durations.format(Duration.between(now, job.notBefore()));
        }
        return job.status().name();
    }

    /** When a job was to start: {@code 2030-01-01T00:00:00Z (in 4m)} or {@code ... (3s ago)}. */
    static String startTime(Instant at, Instant now) {
        if (at == null) {
            return null;
        }
        return at.isAfter(now)
                ? at + " (in " + Durations.format(Duration.between(now, at)) + ")"
                : at + " (" + age(at, now) + " ago)";
    }
}
