package org.planetarymesh.coordinator.quorum;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import org.planetarymesh.core.job.JobError;
import org.planetarymesh.core.job.JobStatus;

/**
 * One replica of a verified job: number {@code replica} (1..k) runs as the ordinary job {@code jobId}; once that job
 * ended, the node that ran its last attempt, its status, the CID of its output (every chunk and the result, as a
 * receipt's {@code output_cid} names it), its result, error and receipt; once the quorum decided, its verdict.
 */
public record Replica(
        int replica,
        String jobId,
        String nodeId,
        JobStatus status,
        String outputCid,
        JsonNode result,
        JobError error,
        String receiptCid,
        Verdict verdict) {

    /** What the quorum made of a replica's output. */
    public enum Verdict {
        /** Its output is the one the quorum accepted. */
        AGREED,
        /** It completed with another output than the accepted one (or than every other, in a dispute). */
        DISSENTED,
        /** It ended without an output (failed, timed out, cancelled): nothing to compare. */
        FAILED;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A replica just created: its job is queued. */
    public static Replica queued(int replica, String jobId) {
        return new Replica(replica, jobId, null, JobStatus.QUEUED, null, null, null, null, null);
    }

    /** Whether its job ended (so its output, if any, is known). */
    public boolean ended() {
        return status.isTerminal();
    }

    /** Whether it ended with an output to compare. */
    public boolean completed() {
        return status == JobStatus.COMPLETED;
    }

    /** This replica as its job ended. */
    public Replica endedAs(JobStatus ended, String node, String output, JsonNode value, JobError why, String receipt) {
        return new Replica(replica, jobId, node, ended, output, value, why, receipt, verdict);
    }

    /** This replica with the quorum's verdict. */
    public Replica judged(Verdict value) {
        return new Replica(replica, jobId, nodeId, status, outputCid, result, error, receiptCid, value);
    }
}
