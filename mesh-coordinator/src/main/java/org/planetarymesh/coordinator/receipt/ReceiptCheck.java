package org.planetarymesh.coordinator.receipt;

import org.planetarymesh.core.receipt.CompactReceipt;
import org.planetarymesh.core.receipt.ExecutionReceipt;
import org.planetarymesh.core.receipt.SignedReceipt;

/**
 * What the gateway found when it checked the receipt of one {@code job_done} against the connection it came on: the
 * signature, the signer (the node's own proven key), the job and attempt it names. The scheduler adds what only it
 * knows (the spec it assigned, the input it sent, the output it received) before it records the job COMPLETED.
 *
 * <p>A whole signed receipt (an agent of the first receipt protocol) has {@code receipt} and {@code signedJson}, the
 * signed receipt's text made here so the scheduler thread only stores it. A compact one (ADR 0105) has {@code compact}
 * (the CID the node signed, and its times) and {@code batch} (its place under the frame's verified signature); the
 * scheduler rebuilds the receipt and takes it only if it hashes to that CID.
 */
public record ReceiptCheck(
        boolean valid,
        String problem,
        ExecutionReceipt receipt,
        String cid,
        String signedJson,
        CompactReceipt compact,
        SignedReceipt.Batch batch) {

    /** A whole signed receipt that holds. */
    static ReceiptCheck whole(ExecutionReceipt receipt, String cid, String signedJson) {
        return new ReceiptCheck(true, null, receipt, cid, signedJson, null, null);
    }

    /** A compact receipt whose batch signature holds. */
    static ReceiptCheck compact(CompactReceipt compact, SignedReceipt.Batch batch) {
        return new ReceiptCheck(true, null, null, compact.cid(), null, compact, batch);
    }

    static ReceiptCheck invalid(String problem) {
        return new ReceiptCheck(false, problem, null, null, null, null, null);
    }
}
