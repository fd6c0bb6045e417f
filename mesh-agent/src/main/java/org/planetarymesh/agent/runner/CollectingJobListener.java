package org.planetarymesh.agent.runner;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A listener that keeps only the attempt's outcome: for callers that wait for the end of a job (the local
 * {@code /execute} API, tests), the result carrying the output tail.
 */
public final class CollectingJobListener implements JobListener {
    private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();

    /** Completes with the outcome when the attempt ends. */
    public CompletableFuture<Outcome> outcome() {
        return outcome;
    }

    @Override
    public void accepted() {}

    @Override
    public boolean chunk(long seq, String stream, byte[] data, Duration wait) {
        return true;
    }

    @Override
    public void progress(double fraction, String log) {}

    @Override
    public void finished(Outcome result) {
        outcome.complete(result);
    }
}
