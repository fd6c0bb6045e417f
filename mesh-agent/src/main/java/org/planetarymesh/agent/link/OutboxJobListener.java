package org.planetarymesh.agent.link;

import java.time.Duration;
import java.util.Base64;
import org.planetarymesh.agent.runner.JobListener;
import org.planetarymesh.agent.runner.Outcome;
import org.planetarymesh.core.protocol.Message;
import org.planetarymesh.executor.Usage;

/** Turns one attempt's output and outcome into protocol frames in the {@link Outbox}. */
public final class OutboxJobListener implements JobListener {
    private final Outbox outbox;
    private final String jobId;
    private final int attempt;

    public OutboxJobListener(Outbox outbox, String jobId, int attempt) {
        this.outbox = outbox;
        this.jobId = jobId;
        this.attempt = attempt;
    }

    @Override
    public void accepted() {
        outbox.offerOutcome(new Message.JobAccepted(jobId, attempt));
    }

    @Override
    public boolean chunk(long seq, String stream, byte[] data, Duration wait) throws InterruptedException {
        return outbox.offerOutput(
                new Message.JobChunk(jobId, attempt, seq, Base64.getEncoder().encodeToString(data), stream), wait);
    }

    @Override
    public void progress(double fraction, String log) {
        outbox.offerProgress(new Message.JobProgress(jobId, attempt, fraction, log));
    }

    @Override
    public void finished(Outcome outcome) {
        outbox.offerOutcome(
                switch (outcome) {
                    case Outcome.Done d ->
                        new Message.JobDone(
                                jobId,
                                attempt,
                                d.result(),
                                tokens(d.usage()),
                                d.durationMs(),
                                d.executor(),
                                d.routeRule(),
                                null);
                    case Outcome.Failed f ->
                        new Message.JobError(jobId, attempt, f.code(), f.message(), f.retryable(), f.tokensEmitted());
                });
    }

    private static Message.Tokens tokens(Usage usage) {
        return usage == null || usage.equals(Usage.NONE)
                ? null
                : new Message.Tokens(usage.tokensIn(), usage.tokensOut());
    }
}
