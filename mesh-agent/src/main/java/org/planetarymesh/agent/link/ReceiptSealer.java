package org.planetarymesh.agent.link;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.planetarymesh.core.identity.Signer;
import org.planetarymesh.core.protocol.Message;
import org.planetarymesh.core.receipt.ExecutionReceipt;
import org.planetarymesh.core.receipt.ReceiptBatch;
import org.planetarymesh.core.receipt.ReceiptSigner;
import org.planetarymesh.core.receipt.SignedReceipt;

/**
 * Signs the receipts of the results that leave in one frame with one Ed25519 signature over their Merkle root
 * (ADR 0030, ADR 0105): a {@code job_done} waits in the {@link Outbox} with its compact receipt (the receipt's CID and
 * times) and the receipt registered here, and the {@link OutboxWriter} ends the frame with a {@code receipt_batch}
 * signing the CIDs of the frame's results ({@link #batchFor}). A coordinator that does not take compact receipts gets
 * whole signed receipts instead ({@link #seal}). A signature costs as much as several echo jobs, so while results pile
 * up an agent signs at most once per window ({@code receipt_batch_ms}, 10 ms) and holds its frame back until then; a
 * lone result is signed at once. The outbox keeps the unsigned message, so a frame that fails to send is signed again
 * in the next session.
 */
public final class ReceiptSealer {
    private final Signer signer;
    private final long windowNanos;
    private final Map<Message, Draft> drafts = new IdentityHashMap<>();
    private volatile int lastBatchSize;
    private volatile long lastSignedNanos = System.nanoTime() - Long.MAX_VALUE / 4;

    /** Signs with {@code signer}, at most once per {@code window} while results keep coming (zero: every frame). */
    public ReceiptSealer(Signer signer, java.time.Duration window) {
        this.signer = signer;
        this.windowNanos = window.toNanos();
    }

    /**
     * How long {@code batch} must wait before it may be sealed, in nanoseconds (0: now). While results pile up (two or
     * more wait, or the last signature covered two or more) a batch with receipts waits until a window has passed
     * since the last signature, so a busy agent signs at most once a window and each signature covers every result
     * of that window. A lone result, one at a time (a client running jobs one after another), is signed at once: its
     * latency is what matters then, and its rate is bounded by the round trip.
     */
    synchronized long waitNanos(List<Message> batch) {
        if (windowNanos == 0 || drafts.isEmpty()) {
            return 0;
        }
        long wait = lastSignedNanos + windowNanos - System.nanoTime();
        if (wait <= 0) {
            return 0;
        }
        int waiting = 0;
        for (Message message : batch) {
            if (drafts.containsKey(message)) {
                waiting++;
            }
        }
        return waiting >= 2 || (waiting == 1 && lastBatchSize >= 2) ? wait : 0;
    }

    /** The did:key receipts are signed with. */
    String did() {
        return signer.did();
    }

    /** A registered receipt and its binary CID (computed on the attempt's thread, not the writer's). */
    private record Draft(ExecutionReceipt receipt, byte[] binaryCid) {}

    /** {@code done} carries {@code receipt} (by its compact form) and is signed when its frame leaves. */
    synchronized void register(Message.JobDone done, ExecutionReceipt receipt, byte[] binaryCid) {
        drafts.put(done, new Draft(receipt, binaryCid));
    }

    /**
     * The {@code receipt_batch} that signs the compact receipts among {@code frame} (the messages one frame carries,
     * in order), or null if it carries none.
     */
    Message.ReceiptBatch batchFor(List<Message> frame) {
        List<byte[]> cids = new ArrayList<>();
        synchronized (this) {
            for (Message message : frame) {
                Draft draft = drafts.get(message);
                if (draft != null) {
                    cids.add(draft.binaryCid());
                }
            }
        }
        if (cids.isEmpty()) {
            return null;
        }
        String signature = ReceiptBatch.sign(cids, signer);
        lastSignedNanos = System.nanoTime();
        lastBatchSize = cids.size();
        return new Message.ReceiptBatch(cids.size(), signature);
    }

    /**
     * {@code batch} with each registered {@code job_done} replaced by one carrying its whole signed receipt: the form
     * for a coordinator that does not rebuild receipts (its welcome does not offer compact receipts).
     */
    List<Message> seal(List<Message> batch) {
        List<Integer> positions = new ArrayList<>();
        List<ExecutionReceipt> receipts = new ArrayList<>();
        synchronized (this) {
            for (int i = 0; i < batch.size(); i++) {
                Draft draft = drafts.get(batch.get(i));
                if (draft != null) {
                    positions.add(i);
                    receipts.add(draft.receipt());
                }
            }
        }
        if (receipts.isEmpty()) {
            return batch;
        }
        List<SignedReceipt> signed = ReceiptSigner.sign(receipts, signer);
        lastSignedNanos = System.nanoTime();
        lastBatchSize = receipts.size();
        List<Message> sealed = new ArrayList<>(batch);
        for (int k = 0; k < positions.size(); k++) {
            Message.JobDone d = (Message.JobDone) batch.get(positions.get(k));
            sealed.set(
                    positions.get(k),
                    new Message.JobDone(
                            d.jobId(),
                            d.attempt(),
                            d.result(),
                            d.tokens(),
                            d.durationMs(),
                            d.executor(),
                            d.routeRule(),
                            signed.get(k).toJson()));
        }
        return sealed;
    }

    /** The messages of {@code sent} left the agent: their drafts are no longer needed. */
    synchronized void sent(List<Message> sent) {
        for (Message message : sent) {
            drafts.remove(message);
        }
    }
}
