package org.planetarymesh.agent.api;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.planetarymesh.agent.runner.JobListener;
import org.planetarymesh.agent.runner.Outcome;

/** A listener for a synchronous local call: keeps only the outcome (the result carries the output tail). */
final class CollectingJobListener implements JobListener {
    private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();

    CompletableFuture<Outcome> outcome() {
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
