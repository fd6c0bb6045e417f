package org.planetarymesh.coordinator.scheduler;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.planetarymesh.coordinator.receipt.ReceiptCheck;
import org.planetarymesh.coordinator.receipt.SpecCid;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.protocol.Message;
import org.planetarymesh.core.receipt.Base32;
import org.planetarymesh.core.receipt.Canonical;
import org.planetarymesh.core.receipt.Cid;
import org.planetarymesh.core.receipt.ExecutionReceipt;
import org.planetarymesh.core.receipt.OutputDigest;
import org.planetarymesh.core.receipt.ReceiptLog;
import org.planetarymesh.core.receipt.ReceiptVerifier;
import org.planetarymesh.core.receipt.SignedReceipt;
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

    /**
     * Settles the receipt of {@code done}, the current attempt of {@code job} on node {@code executor}, as {@code check}
     * found it.
     */
    Settled settle(Job job, String executor, Message.JobDone done, ReceiptCheck check, Instant now) {
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
        String outputCid = o.output.finish(done.result());
        if (check.compact() != null) {
            return settleCompact(job, executor, done, check, o.specCid, outputCid, now);
        }
        String problem = ReceiptVerifier.checkDigests(check.receipt(), o.specCid, outputCid);
        if (problem != null) {
            return new Settled.Refused(problem);
        }
        return accept(job, done, check.cid(), Cid.parse(check.cid()), check.signedJson(), now);
    }

    /**
     * A compact receipt: the receipt rebuilt from what this coordinator holds must hash to the CID the node signed
     * (the gateway verified that signature), so every field the node signed is the one the coordinator knows.
     */
    private Settled settleCompact(
            Job job,
            String executor,
            Message.JobDone done,
            ReceiptCheck check,
            String specCid,
            String outputCid,
            Instant now) {
        ExecutionReceipt receipt = check.compact()
                .rebuild(
                        job.id(),
                        specCid,
                        done.attempt(),
                        executor,
                        Canonical.cid(job.spec().payload()),
                        outputCid,
                        new ExecutionReceipt.Usage(
                                done.durationMs(),
                                done.tokens() == null ? 0 : done.tokens().input(),
                                done.tokens() == null ? 0 : done.tokens().output()));
        byte[] canonical = receipt.canonicalBytes();
        byte[] binaryCid = Cid.binary(Cid.Codec.JSON, Cid.sha256(canonical));
        String cid = "b" + Base32.encode(binaryCid);
        if (!cid.equals(check.cid())) {
            return new Settled.Refused("the receipt the node signed (" + check.cid() + ") is not the one this"
                    + " coordinator rebuilds from the job, its spec, input and output, the node and the job_done's"
                    + " times and usage (" + cid + "): " + new String(canonical, StandardCharsets.UTF_8));
        }
        return accept(job, done, cid, binaryCid, SignedReceipt.json(canonical, cid, check.batch()), now);
    }

    private Settled accept(
            Job job, Message.JobDone done, String cid, byte[] binaryCid, String signedJson, Instant now) {
        String prev = head;
        head = ReceiptLog.hash(prev, binaryCid);
        seq++;
        return new Settled.Accepted(
                cid,
                new ReceiptLogRow(new ReceiptLogStore.StoredEntry(
                        seq, job.id(), done.attempt(), cid, prev, head, signedJson, now.toEpochMilli())));
    }

    /** {@code jobId} ended: nothing more is owed for it. */
    void forget(String jobId) {
        owed.remove(jobId);
        specCids.remove(jobId);
    }
}
