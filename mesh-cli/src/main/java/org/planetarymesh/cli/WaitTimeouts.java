package org.planetarymesh.cli;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.job.Routing;

/**
 * What {@code submit --wait} says when {@code --wait-timeout} runs out: how long it waited, in the form the user
 * typed it, where the job stands and, for a job still queued, why the routing found no node for it.
 */
final class WaitTimeouts {

    private static final int REASONS_SHOWN = 3;

    private WaitTimeouts() {}

    /** The one-line message for a job {@code id} last seen as {@code job} (null if it could not be read). */
    static String message(String id, Duration waited, Job job) {
        String head = "job " + id + " did not finish within " + Durations.format(waited);
        String where = job == null ? "its state could not be read" : where(job);
        return head + "; " + where + ". It goes on: follow it with `./mesh logs -f " + id + "`, or stop it with"
                + " `./mesh cancel " + id + "`";
    }

    private static String where(Job job) {
        if (job.status() == JobStatus.QUEUED) {
            return "it is still QUEUED: " + whyQueued(job.routing());
        }
        String node = job.nodeId() == null ? "" : " on " + Cells.node(job.nodeId());
        return "it is " + job.status() + node + " (attempt " + job.attempt() + ")";
    }

    private static String whyQueued(Routing routing) {
        if (routing == null || routing.candidates().isEmpty()) {
            return "no node has been offered it yet (is any node connected? see `./mesh nodes`)";
        }
        List<Routing.Candidate> rejected = routing.candidates().stream()
                .filter(c -> c.rejectedBy() != null)
                .toList();
        if (rejected.isEmpty()) {
            return "a node was chosen for it and it waits to be sent there";
        }
        String reasons = rejected.stream()
                .limit(REASONS_SHOWN)
                .map(c -> Cells.node(c.nodeId()) + ": " + c.rejectedBy())
                .collect(Collectors.joining("; "));
        int more = rejected.size() - REASONS_SHOWN;
        return "no node could take it when last tried (" + reasons + (more > 0 ? "; and " + more + " more" : "") + ")";
    }
}
