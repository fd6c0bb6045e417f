package org.planetarymesh.coordinator.scheduler;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.planetarymesh.coordinator.receipt.ReceiptCheck;
import org.planetarymesh.coordinator.receipt.SpecCid;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.protocol.Message;
import org.planetarymesh.core.receipt.OutputDigest;
import org.planetarymesh.core.receipt.ReceiptLog;
import org.planetarymesh.core.receipt.ReceiptVerifier;
import org.planetarymesh.store.ReceiptLogRow;
import org.planetarymesh.store.ReceiptLogStore;

/**
 * Execution receipts on the scheduler thread: which attempts owe one (assigned to a node that proved its key, while
 * receipts are on), the spec CID each was told, the digest of the output received so far, and the head of the
 * hash-chained receipt log. At {@code job_done} it settles the receipt: the gateway already checked the signature and
 * signer ({@link ReceiptCheck}); here the spec and output CIDs must be the ones this coordinator holds. An accepted
 * receipt becomes the next log entry, written in the same group commit as the COMPLETED transition.
 */
final class Receipts {

    /** How a {@code job_done} stands with its receipt. */
    sealed interface Settled {
        /** No receipt was asked of this attempt (receipts off, a push-mode or keyless node). */
        record NotRequired() implements Settled {}

        /** The receipt holds: the job records its CID and the log gains {@code row}. */
        record Accepted(String cid, ReceiptLogRow row) implements Settled {}

        /** The receipt is missing or does not hold: the attempt fails with {@code invalid_receipt}. */
        record Refused(String problem) implements Settled {}
    }

    private record Owed(int attempt, String specCid, OutputDigest output) {}

    private boolean enabled;
    private final Map<String, Owed> owed = new HashMap<>();
    private final Map<String, String> specCids = new HashMap<>();
    private long seq;
    private String head = ReceiptLog.GENESIS;

    Receipts(boolean enabled) {
        this.enabled = enabled;
    }

    /** Asks for receipts from the next assignment on, or stops; attempts already assigned keep what they were told. */
    void enabled(boolean on) {
        enabled = on;
    }

    /** Continues the log after its last stored entry. */
    void load(ReceiptLogStore log) {
        log.head().ifPresent(last -> {
            seq = last.seq();
            head = last.hash();
        });
    }

    /** The spec CID to send with {@code job}'s new attempt on {@code node}, or null when it owes no receipt. */
    String expect(Job job, int attempt, NodeState node) {
        if (!enabled || node.hello.publicKey() == null) {
            owed.remove(job.id());
            return null;
        }
        String specCid = specCids.computeIfAbsent(job.id(), id -> SpecCid.of(job.spec()));
        owed.put(job.id(), new Owed(attempt, specCid, new OutputDigest()));
        return specCid;
    }

    /** The spec CID the current attempt of {@code jobId} was told (sent again with a resent assignment), or null. */
    String told(String jobId) {
        Owed o = owed.get(jobId);
        return o == null ? null : o.specCid;
    }

    /** A chunk of the current attempt's output: part of what its receipt's output CID must name. */
    void chunk(String jobId, int attempt, Message.JobChunk chunk) {
        Owed o = owed.get(jobId);
        if (o != null && o.attempt == attempt) {
            o.output.chunk(chunk.seq(), chunk.stream(), chunk.data());
        }
    }

    /** Settles the receipt of {@code done}, the current attempt of {@code job}, as {@code check} found it. */
    Settled settle(Job job, Message.JobDone done, ReceiptCheck check, Instant now) {
        Owed o = owed.remove(job.id());
        if (o == null || o.attempt != done.attempt()) {
            return new Settled.NotRequired();
        }
        if (check == null) {
            return new Settled.Refused("the node sent no receipt; this coordinator requires one from every keyed node");
        }
        if (!check.valid()) {
            return new Settled.Refused(check.problem());
        }
        String problem = ReceiptVerifier.checkDigests(check.receipt(), o.specCid, o.output.finish(done.result()));
        if (problem != null) {
            return new Settled.Refused(problem);
        }
        String prev = head;
        head = ReceiptLog.hash(prev, check.cid());
        seq++;
        return new Settled.Accepted(
                check.cid(),
                new ReceiptLogRow(new ReceiptLogStore.StoredEntry(
                        seq,
                        job.id(),
                        done.attempt(),
                        check.cid(),
                        prev,
                        head,
                        check.signedJson(),
                        now.toEpochMilli())));
    }

    /** {@code jobId} ended: nothing more is owed for it. */
    void forget(String jobId) {
        owed.remove(jobId);
        specCids.remove(jobId);
    }
}
