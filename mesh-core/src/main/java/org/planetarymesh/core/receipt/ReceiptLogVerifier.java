package org.planetarymesh.core.receipt;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.planetarymesh.core.identity.DidKey;
import org.planetarymesh.core.identity.Ed25519;

/**
 * Checks an exported stretch of the receipt log offline: sequence numbers follow on, each entry's {@code prev} is the
 * hash of the one before, each hash matches its contents, each receipt matches its CID and verifies, and the last
 * entry is the one the coordinator's checkpoint signs. Each problem names the entry where it shows: an edited entry
 * fails its own hash (or its receipt's CID), a removed one leaves a gap in the sequence, an inserted or moved one
 * breaks the sequence and the link to its neighbour.
 */
public final class ReceiptLogVerifier {

    private ReceiptLogVerifier() {}

    /** What was found: the problems in log order (empty when the export holds), and how many entries were read. */
    public record Report(List<String> problems, int entries) {
        public boolean valid() {
            return problems.isEmpty();
        }
    }

    /** Verifies {@code export}; the first entry's {@code prev} is taken as given (the anchor of a partial export). */
    public static Report verify(ReceiptLog.Export export) {
        List<String> problems = new ArrayList<>();
        ReceiptVerifier receipts = new ReceiptVerifier();
        ReceiptLog.Entry before = null;
        for (ReceiptLog.Entry entry : export.entries()) {
            String at = "entry seq " + entry.seq();
            if (before != null) {
                if (entry.seq() <= before.seq()) {
                    problems.add(
                            at + " comes after seq " + before.seq() + ": entries are out of order or one was inserted");
                } else if (entry.seq() != before.seq() + 1) {
                    problems.add(at + " follows seq " + before.seq() + ": entries " + (before.seq() + 1)
                            + (entry.seq() - 1 > before.seq() + 1 ? ".." + (entry.seq() - 1) : "") + " were removed");
                }
                if (!entry.prev().equals(before.hash())) {
                    problems.add(at + ": its prev is not the hash of seq " + before.seq()
                            + " before it (an entry was removed, inserted or moved here)");
                }
            }
            try {
                if (!ReceiptLog.hash(entry.prev(), entry.receiptCid()).equals(entry.hash())) {
                    problems.add(at + " was edited: its hash does not match its prev and receipt_cid");
                }
            } catch (IllegalArgumentException e) {
                problems.add(at + " was edited: " + e.getMessage());
            }
            if (entry.receipt() != null) {
                ReceiptVerifier.Verdict verdict = receipts.verify(entry.receipt());
                if (!verdict.valid()) {
                    problems.add(at + ": its receipt does not verify: " + verdict.problem());
                } else if (!verdict.cid().equals(entry.receiptCid())
                        || !verdict.receipt().jobId().equals(entry.jobId())) {
                    problems.add(at + " was edited: its receipt is not the one its receipt_cid and job_id name");
                }
            }
            before = entry;
        }
        checkpoint(export, before, problems);
        return new Report(List.copyOf(problems), export.entries().size());
    }

    private static void checkpoint(ReceiptLog.Export export, ReceiptLog.Entry last, List<String> problems) {
        ReceiptLog.Checkpoint checkpoint = export.checkpoint();
        if (checkpoint == null) {
            problems.add("the export has no checkpoint signed by the coordinator");
            return;
        }
        byte[] key;
        try {
            key = DidKey.toEd25519(checkpoint.coordinator());
        } catch (IllegalArgumentException e) {
            problems.add("checkpoint.coordinator: " + e.getMessage());
            return;
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(checkpoint.signature());
        } catch (IllegalArgumentException | NullPointerException e) {
            signature = null;
        }
        byte[] signed = ReceiptLog.checkpointBytes(
                checkpoint.seq(), checkpoint.hash(), checkpoint.signedAt(), checkpoint.coordinator());
        if (!Ed25519.verifies(key, signed, signature)) {
            problems.add("checkpoint at seq " + checkpoint.seq() + " is not signed by " + checkpoint.coordinator());
            return;
        }
        if (last == null) {
            return;
        }
        if (last.seq() != checkpoint.seq()) {
            problems.add("the export ends at seq " + last.seq() + " but the coordinator's checkpoint is at seq "
                    + checkpoint.seq() + " (entries at the end were removed or added)");
        } else if (!last.hash().equals(checkpoint.hash())) {
            problems.add("entry seq " + last.seq() + " is not the head the coordinator signed: the log was rewritten");
        }
    }
}
