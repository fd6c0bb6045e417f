package org.planetarymesh.core.job;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One entry in a job's event log, as replayed by {@code GET /v1/jobs/{id}/events}: a status change, progress, a chunk
 * of streamed output, or the end of the stream. {@code seq} orders events within one job.
 */
public record JobEvent(
        String jobId,
        long seq,
        Kind kind,
        Instant at,
        int attempt,
        JobStatus status,
        Double progress,
        String log,
        Long chunkSeq,
        String data,
        String stream,
        JobError error,
        JsonNode result) {

    /** What an event reports. {@code END} is the last event of a job, carrying its terminal status. */
    public enum Kind {
        STATUS,
        PROGRESS,
        CHUNK,
        END;

        /** The SSE event name: lower-case. */
        public String sseName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static JobEvent status(Job job, long seq) {
        return new JobEvent(
                job.id(),
                seq,
                Kind.STATUS,
                job.updatedAt(),
                job.attempt(),
                job.status(),
                null,
                null,
                null,
                null,
                null,
                job.error(),
                null);
    }

    public static JobEvent end(Job job, long seq) {
        return new JobEvent(
                job.id(),
                seq,
                Kind.END,
                job.updatedAt(),
                job.attempt(),
                job.status(),
                job.progress(),
                null,
                null,
                null,
                null,
                job.error(),
                job.result());
    }

    /**
     * The terminal STATUS event that an {@link #end} event of the same job follows, at {@code seq}: the change it
     * reports is the END's own (time, attempt, status, error), so a store may keep the pair as one record.
     */
    public static JobEvent terminalStatus(JobEvent end, long seq) {
        if (end.kind() != Kind.END) {
            throw new IllegalArgumentException("event " + end.seq() + " of job " + end.jobId() + " is not an END");
        }
        return new JobEvent(
                end.jobId(),
                seq,
                Kind.STATUS,
                end.at(),
                end.attempt(),
                end.status(),
                null,
                null,
                null,
                null,
                null,
                end.error(),
                null);
    }

    public static JobEvent progress(String jobId, long seq, Instant at, int attempt, double progress, String log) {
        return new JobEvent(jobId, seq, Kind.PROGRESS, at, attempt, null, progress, log, null, null, null, null, null);
    }

    public static JobEvent chunk(
            String jobId, long seq, Instant at, int attempt, long chunkSeq, String data, String stream) {
        return new JobEvent(jobId, seq, Kind.CHUNK, at, attempt, null, null, null, chunkSeq, data, stream, null, null);
    }
}
