package org.planetarymesh.coordinator.receipt;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.planetarymesh.core.protocol.Message;
import org.planetarymesh.core.receipt.ReceiptVerifier;

/**
 * Checks the receipts in the frames of one agent connection, on the connection's thread rather than the scheduler's:
 * an Ed25519 verification costs as much as several whole jobs do there. One batch signature usually covers a whole
 * frame's results and is verified once ({@link ReceiptVerifier} remembers it). Not thread-safe: one per connection,
 * whose frames arrive one at a time.
 */
public final class FrameReceipts {

    private final ReceiptVerifier verifier = new ReceiptVerifier();

    /** The check of each {@code job_done} in {@code messages} that carries a receipt, by identity; empty if none does. */
    public Map<Message.JobDone, ReceiptCheck> check(String nodeId, List<Message> messages) {
        Map<Message.JobDone, ReceiptCheck> checks = null;
        for (Message message : messages) {
            if (message instanceof Message.JobDone done
                    && done.receipt() != null
                    && !done.receipt().isNull()) {
                if (checks == null) {
                    checks = new IdentityHashMap<>();
                }
                checks.put(done, check(nodeId, done));
            }
        }
        return checks == null ? Map.of() : checks;
    }

    private ReceiptCheck check(String nodeId, Message.JobDone done) {
        ReceiptVerifier.Verdict verdict = verifier.verify(done.receipt());
        if (!verdict.valid()) {
            return ReceiptCheck.invalid(verdict.problem());
        }
        if (!verdict.receipt().executor().equals(nodeId)) {
            return ReceiptCheck.invalid(
                    "receipt.executor " + verdict.receipt().executor() + " is not the node that sent it, " + nodeId);
        }
        if (!verdict.receipt().jobId().equals(done.jobId()) || verdict.receipt().attempt() != done.attempt()) {
            return ReceiptCheck.invalid(
                    "the receipt is for job " + verdict.receipt().jobId() + " attempt "
                            + verdict.receipt().attempt() + ", not job " + done.jobId() + " attempt " + done.attempt());
        }
        if (!"completed".equals(verdict.receipt().status())) {
            return ReceiptCheck.invalid("receipt.status is " + verdict.receipt().status() + " for a job_done");
        }
        return new ReceiptCheck(
                true, null, verdict.receipt(), verdict.cid(), done.receipt().toString());
    }
}
