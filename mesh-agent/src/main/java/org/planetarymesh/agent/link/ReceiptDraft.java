package org.planetarymesh.agent.link;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.planetarymesh.agent.runner.Outcome;
import org.planetarymesh.core.receipt.Canonical;
import org.planetarymesh.core.receipt.ExecutionReceipt;
import org.planetarymesh.core.receipt.OutputDigest;

/**
 * The receipt of one attempt as it runs: when it started, the digest of its output so far (every chunk in order, see
 * {@link OutputDigest}), and at the end the unsigned {@link ExecutionReceipt}. Signing happens later, per frame
 * ({@link ReceiptSealer}). Used by one attempt's listener; chunks arrive in order from its one executor thread.
 */
final class ReceiptDraft {
    private final String jobId;
    private final int attempt;
    private final String specCid;
    private final String executor;
    private final JsonNode payload;
    private final OutputDigest output = new OutputDigest();
    private volatile Instant startedAt;

    ReceiptDraft(String jobId, int attempt, String specCid, String executor, JsonNode payload) {
        this.jobId = jobId;
        this.attempt = attempt;
        this.specCid = specCid;
        this.executor = executor;
        this.payload = payload;
    }

    void started() {
        if (startedAt == null) {
            startedAt = Instant.now();
        }
    }

    void chunk(long seq, String stream, String base64) {
        output.chunk(seq, stream, base64);
    }

    /** The unsigned receipt of the attempt that ended with {@code done}. */
    ExecutionReceipt completed(Outcome.Done done) {
        Instant finished = Instant.now();
        Instant started = startedAt == null ? finished.minusMillis(done.durationMs()) : startedAt;
        long tokensIn = done.usage() == null ? 0 : done.usage().tokensIn();
        long tokensOut = done.usage() == null ? 0 : done.usage().tokensOut();
        return new ExecutionReceipt(
                ExecutionReceipt.VERSION,
                jobId,
                specCid,
                attempt,
                executor,
                Canonical.cid(payload),
                output.finish(done.result()),
                "completed",
                started.toString(),
                finished.toString(),
                new ExecutionReceipt.Usage(done.durationMs(), tokensIn, tokensOut));
    }
}
