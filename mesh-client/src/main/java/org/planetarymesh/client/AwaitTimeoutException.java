package org.planetarymesh.client;

import java.time.Duration;
import java.util.List;
import org.planetarymesh.core.job.Job;

/**
 * {@link MeshClient#await} gave up: the job was not finished when the caller's timeout ran out. The job itself goes on;
 * {@link #lastSeen()} is its state when the SDK gave up (null if it could not be read).
 */
public class AwaitTimeoutException extends MeshClientException {

    private final transient Job lastSeen;

    public AwaitTimeoutException(String jobId, Duration timeout, Job lastSeen) {
        super(
                "await_timeout",
                0,
                "job " + jobId + " did not finish within " + timeout
                        + (lastSeen == null ? "" : " (still " + lastSeen.status() + ")"),
                List.of(),
                null);
        this.lastSeen = lastSeen;
    }

    /** The job as last read, or null. */
    public Job lastSeen() {
        return lastSeen;
    }
}
