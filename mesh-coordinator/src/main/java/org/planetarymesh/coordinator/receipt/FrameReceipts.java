package org.planetarymesh.coordinator.receipt;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.planetarymesh.core.protocol.Message;
import org.planetarymesh.core.receipt.CompactReceipt;
import org.planetarymesh.core.receipt.ReceiptBatch;
import org.planetarymesh.core.receipt.ReceiptVerifier;
import org.planetarymesh.core.receipt.SignedReceipt;

/**
 * Checks the receipts in the frames of one agent connection, on the connection's thread rather than the scheduler's:
 * an Ed25519 verification costs as much as several whole jobs do there. Compact receipts (ADR 0105) are signed by the
 * frame's one {@code receipt_batch}, verified once here over the CIDs they name; whole signed receipts (the first
 * receipt protocol) are verified each, a batch signature once ({@link ReceiptVerifier} remembers it). Not
 * thread-safe: one per connection, whose frames arrive one at a time.
 */
public final class FrameReceipts {

    private final ReceiptVerifier verifier = new ReceiptVerifier();

    /**
     * The check of each {@code job_done} in {@code messages} (one frame) that carries a receipt, by identity; empty if
     * none does. {@code publicKey}: the connection's proven Ed25519 key (null for a keyless node).
     */
    public Map<Message.JobDone, ReceiptCheck> check(String nodeId, byte[] publicKey, List<Message> messages) {
        Map<Message.JobDone, ReceiptCheck> checks = null;
        List<Message.JobDone> compact = List.of();
        List<Message.ReceiptBatch> batches = List.of();
        for (Message message : messages) {
            if (message instanceof Message.JobDone done
                    && done.receipt() != null
                    && !done.receipt().isNull()) {
                if (CompactReceipt.isCompact(done.receipt())) {
                    compact = add(compact, done);
                    continue;
                }
                if (checks == null) {
                    checks = new IdentityHashMap<>();
                }
                checks.put(done, whole(nodeId, done));
            } else if (message instanceof Message.ReceiptBatch batch) {
                batches = add(batches, batch);
            }
        }
        if (compact.isEmpty()) {
            return checks == null ? Map.of() : checks;
        }
        if (checks == null) {
            checks = new IdentityHashMap<>();
        }
        checkCompact(nodeId, publicKey, compact, batches, checks);
        return checks;
    }

    private static void checkCompact(
            String nodeId,
            byte[] publicKey,
            List<Message.JobDone> dones,
            List<Message.ReceiptBatch> batches,
            Map<Message.JobDone, ReceiptCheck> checks) {
        String problem = null;
        List<CompactReceipt> receipts = new ArrayList<>(dones.size());
        List<byte[]> cids = new ArrayList<>(dones.size());
        for (int i = 0; i < dones.size() && problem == null; i++) {
            try {
                CompactReceipt receipt = CompactReceipt.fromJson(dones.get(i).receipt());
                receipts.add(receipt);
                cids.add(receipt.binaryCid());
            } catch (IllegalArgumentException e) {
                problem = "job " + dones.get(i).jobId() + ": " + e.getMessage();
            }
        }
        if (problem == null && batches.size() != 1) {
            problem = "a frame with compact receipts carries exactly one receipt_batch that signs them; this one has "
                    + batches.size();
        } else if (problem == null && batches.getFirst().count() != dones.size()) {
            problem = "receipt_batch.count is " + batches.getFirst().count() + " but the frame carries " + dones.size()
                    + " compact receipts";
        } else if (problem == null && publicKey == null) {
            problem = "the node has not proven a key, so it cannot sign receipts";
        }
        List<SignedReceipt.Batch> signed = problem == null
                ? ReceiptBatch.verify(cids, publicKey, batches.getFirst().signature())
                : null;
        if (problem == null && signed == null) {
            problem = "receipt_batch.signature is not " + nodeId + "'s signature of the Merkle root over the "
                    + dones.size() + " receipt CIDs of its frame";
        }
        for (int i = 0; i < dones.size(); i++) {
            checks.put(
                    dones.get(i),
                    problem == null
                            ? ReceiptCheck.compact(receipts.get(i), signed.get(i))
                            : ReceiptCheck.invalid(problem));
        }
    }

    private static <T> List<T> add(List<T> list, T item) {
        List<T> out = list.isEmpty() ? new ArrayList<>(4) : list;
        out.add(item);
        return out;
    }

    private ReceiptCheck whole(String nodeId, Message.JobDone done) {
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
        return ReceiptCheck.whole(
                verdict.receipt(), verdict.cid(), done.receipt().toString());
    }
}
