package org.planetarymesh.agent.link;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Base64;
import org.planetarymesh.agent.runner.JobListener;
import org.planetarymesh.agent.runner.Outcome;
import org.planetarymesh.core.protocol.Message;
import org.planetarymesh.core.receipt.Base32;
import org.planetarymesh.core.receipt.CompactReceipt;
import org.planetarymesh.core.receipt.ExecutionReceipt;
import org.planetarymesh.executor.Usage;

/** Turns one attempt's output and outcome into protocol frames in the {@link Outbox}. */
public final class OutboxJobListener implements JobListener {
    private final Outbox outbox;
    private final String jobId;
    private final int attempt;
    private final ReceiptDraft receipt;
    private final ReceiptSealer sealer;

    public OutboxJobListener(Outbox outbox, String jobId, int attempt) {
        this(outbox, jobId, attempt, null, null);
    }

    /** A listener whose successful outcome carries a receipt ({@code receipt} non-null), sealed by {@code sealer}. */
    OutboxJobListener(Outbox outbox, String jobId, int attempt, ReceiptDraft receipt, ReceiptSealer sealer) {
        this.outbox = outbox;
        this.jobId = jobId;
        this.attempt = attempt;
        this.receipt = receipt;
        this.sealer = sealer;
    }

    @Override
    public void accepted() {
        if (receipt != null) {
            receipt.started();
        }
        outbox.offerOutcome(new Message.JobAccepted(jobId, attempt));
    }

    @Override
    public boolean chunk(long seq, String stream, byte[] data, Duration wait) throws InterruptedException {
        String base64 = Base64.getEncoder().encodeToString(data);
        boolean queued = outbox.offerOutput(new Message.JobChunk(jobId, attempt, seq, base64, stream), wait);
        if (queued && receipt != null) {
            receipt.chunk(seq, stream, base64); // only what reaches the coordinator is part of the output
        }
        return queued;
    }

    @Override
    public void progress(double fraction, String log) {
        outbox.offerProgress(new Message.JobProgress(jobId, attempt, fraction, log));
    }

    @Override
    public void finished(Outcome outcome) {
        if (outcome instanceof Outcome.Done d && receipt != null) {
            ExecutionReceipt completed = receipt.completed(d);
            byte[] binaryCid = completed.binaryCid();
            CompactReceipt compact =
                    new CompactReceipt("b" + Base32.encode(binaryCid), completed.startedAt(), completed.finishedAt());
            Message.JobDone done = done(d, compact.toJson());
            sealer.register(done, completed, binaryCid); // before it is queued: the writer may take it at once
            outbox.offerOutcome(done);
            return;
        }
        outbox.offerOutcome(
                switch (outcome) {
                    case Outcome.Done d -> done(d, null);
                    case Outcome.Failed f ->
                        new Message.JobError(jobId, attempt, f.code(), f.message(), f.retryable(), f.tokensEmitted());
                });
    }

    private Message.JobDone done(Outcome.Done d, JsonNode receipt) {
        return new Message.JobDone(
                jobId, attempt, d.result(), tokens(d.usage()), d.durationMs(), d.executor(), d.routeRule(), receipt);
    }

    private static Message.Tokens tokens(Usage usage) {
        return usage == null || usage.equals(Usage.NONE)
                ? null
                : new Message.Tokens(usage.tokensIn(), usage.tokensOut());
    }
}
