package org.planetarymesh.coordinator.receipt;

import org.planetarymesh.core.receipt.ExecutionReceipt;

/**
 * What the gateway found when it checked the receipt of one {@code job_done} against the connection it came on: the
 * signature, the signer (the node's own proven key), the job and attempt it names. The scheduler adds what only it
 * knows (the spec it assigned, the output it received) before it records the job COMPLETED. {@code signedJson} is the
 * signed receipt's text, made here so the scheduler thread only stores it.
 */
public record ReceiptCheck(boolean valid, String problem, ExecutionReceipt receipt, String cid, String signedJson) {

    static ReceiptCheck invalid(String problem) {
        return new ReceiptCheck(false, problem, null, null, null);
    }
}
