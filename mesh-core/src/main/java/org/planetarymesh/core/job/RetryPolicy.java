package org.planetarymesh.core.job;

/** How many times a job is tried and how long to wait between tries. */
public record RetryPolicy(int maxAttempts, Backoff backoff) {
    public static final RetryPolicy DEFAULT = new RetryPolicy(3, Backoff.DEFAULT);

    public RetryPolicy {
        backoff = backoff == null ? Backoff.DEFAULT : backoff;
    }
}
