package org.planetarymesh.coordinator.retention;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import org.planetarymesh.core.job.JobStatus;

/**
 * How long finished jobs, with their events and output, stay in the store (docs/adr/0066), in BullMQ's terms: completed
 * jobs and unsuccessful ones (FAILED, TIMED_OUT, CANCELLED, REFUNDED) each have a maximum age and a maximum count;
 * a job goes when either is exceeded. A zero age or count does not limit. Deletion runs in batches of {@code batch}
 * jobs every {@code interval}, off the scheduler thread, through the group commit.
 *
 * @param completedMaxAge completed jobs last changed longer ago than this are deleted
 * @param completedMaxCount at most this many completed jobs are kept (the newest by submission)
 * @param failedMaxAge unsuccessful jobs last changed longer ago than this are deleted
 * @param failedMaxCount at most this many unsuccessful jobs are kept (the newest by submission)
 * @param interval how often the sweep looks for jobs to delete
 * @param batch jobs deleted per write batch (one group commit each)
 * @param maxOutputBytes the output (chunks) kept of one attempt, in UTF-8 bytes; the rest is dropped and the attempt
 *     says so ({@code output_truncated}, {@code output_cap_bytes}); 0 keeps all
 */
public record RetentionPolicy(
        Duration completedMaxAge,
        int completedMaxCount,
        Duration failedMaxAge,
        int failedMaxCount,
        Duration interval,
        int batch,
        long maxOutputBytes) {

    /** The statuses {@code completed_*} settings apply to. */
    public static final Set<JobStatus> COMPLETED = EnumSet.of(JobStatus.COMPLETED);

    /** The statuses {@code failed_*} settings apply to: every other finished one. */
    public static final Set<JobStatus> UNSUCCESSFUL = EnumSet.of(
            JobStatus.FAILED, JobStatus.TIMED_OUT, JobStatus.CANCELLED, JobStatus.REFUNDED, JobStatus.DISPUTED);

    /**
     * A laptop's defaults: a day of completed jobs, at most 5,000 (a few MB of store), and a week of failed ones, at
     * most 5,000, swept every second 500 at a time.
     */
    public static final RetentionPolicy DEFAULTS = new RetentionPolicy(
            Duration.ofDays(1), 5_000, Duration.ofDays(7), 5_000, Duration.ofSeconds(1), 500, 1L << 20);

    /** Nothing is ever deleted (an operator who keeps history elsewhere, or tests that count stored jobs). */
    public static final RetentionPolicy KEEP_ALL =
            new RetentionPolicy(Duration.ZERO, 0, Duration.ZERO, 0, Duration.ofSeconds(1), 500, 0);

    public RetentionPolicy {
        if (completedMaxAge.isNegative() || failedMaxAge.isNegative()) {
            throw new IllegalArgumentException("retention ages must be zero (no limit) or positive");
        }
        if (completedMaxCount < 0 || failedMaxCount < 0) {
            throw new IllegalArgumentException("retention counts must be zero (no limit) or positive");
        }
        if (interval.toMillis() < 10) {
            throw new IllegalArgumentException("retention_interval_ms must be at least 10");
        }
        if (maxOutputBytes < 0) {
            throw new IllegalArgumentException("max_output_bytes must be zero (no cap) or positive");
        }
        if (batch < 1 || batch > 10_000) {
            throw new IllegalArgumentException("retention_batch must be between 1 and 10000");
        }
    }

    /** Whether anything is ever deleted. */
    public boolean enabled() {
        return !completedMaxAge.isZero() || completedMaxCount > 0 || !failedMaxAge.isZero() || failedMaxCount > 0;
    }

    public RetentionPolicy withCompleted(Duration maxAge, int maxCount) {
        return new RetentionPolicy(maxAge, maxCount, failedMaxAge, failedMaxCount, interval, batch, maxOutputBytes);
    }

    public RetentionPolicy withFailed(Duration maxAge, int maxCount) {
        return new RetentionPolicy(
                completedMaxAge, completedMaxCount, maxAge, maxCount, interval, batch, maxOutputBytes);
    }

    public RetentionPolicy withSweep(Duration everyInterval, int jobsPerBatch) {
        return new RetentionPolicy(
                completedMaxAge,
                completedMaxCount,
                failedMaxAge,
                failedMaxCount,
                everyInterval,
                jobsPerBatch,
                maxOutputBytes);
    }

    public RetentionPolicy withMaxOutputBytes(long value) {
        return new RetentionPolicy(
                completedMaxAge, completedMaxCount, failedMaxAge, failedMaxCount, interval, batch, value);
    }
}
