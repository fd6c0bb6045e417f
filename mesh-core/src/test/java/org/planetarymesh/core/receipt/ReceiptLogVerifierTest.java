package org.planetarymesh.core.receipt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.planetarymesh.core.identity.SigningKey;

/** A log with one entry edited, removed, inserted or moved is caught at that entry. */
class ReceiptLogVerifierTest {

    private static final SigningKey COORDINATOR = SigningKey.fromSeed(
            new byte[] {9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9
            });

    private static List<ReceiptLog.Entry> chain(int n) {
        List<SignedReceipt> signed = ReceiptSigner.sign(
                java.util.stream.IntStream.range(0, n)
                        .mapToObj(i -> ReceiptFixtures.receipt("job-" + i, 1))
                        .toList(),
                ReceiptFixtures.NODE);
        List<ReceiptLog.Entry> entries = new ArrayList<>();
        String prev = ReceiptLog.GENESIS;
        for (int i = 0; i < n; i++) {
            SignedReceipt r = signed.get(i);
            String hash = ReceiptLog.hash(prev, r.cid());
            entries.add(new ReceiptLog.Entry(i + 1, r.receipt().jobId(), r.cid(), prev, hash, r.toJson()));
            prev = hash;
        }
        return entries;
    }

    private static ReceiptLog.Export export(List<ReceiptLog.Entry> entries, ReceiptLog.Entry head) {
        String at = "2026-12-07T22:00:00Z";
        byte[] signature = COORDINATOR.sign(ReceiptLog.checkpointBytes(head.seq(), head.hash(), at, COORDINATOR.did()));
        return new ReceiptLog.Export(
                entries,
                new ReceiptLog.Checkpoint(
                        head.seq(),
                        head.hash(),
                        at,
                        COORDINATOR.did(),
                        Base64.getEncoder().encodeToString(signature)));
    }

    @Test
    void anUntouchedLogVerifies() {
        List<ReceiptLog.Entry> entries = chain(6);
        ReceiptLogVerifier.Report report = ReceiptLogVerifier.verify(export(entries, entries.getLast()));
        assertThat(report.problems()).isEmpty();
        assertThat(report.entries()).isEqualTo(6);
    }

    @Test
    void anEditedEntryIsCaughtAtThatEntry() {
        List<ReceiptLog.Entry> entries = chain(6);
        ReceiptLog.Entry head = entries.getLast();
        ReceiptLog.Entry third = entries.get(2);
        String otherCid = entries.get(4).receiptCid();
        entries.set(2, new ReceiptLog.Entry(third.seq(), third.jobId(), otherCid, third.prev(), third.hash(), null));
        assertThat(ReceiptLogVerifier.verify(export(entries, head)).problems().getFirst())
                .startsWith("entry seq 3 was edited");
    }

    @Test
    void anEditedReceiptIsCaughtAtItsEntry() {
        List<ReceiptLog.Entry> entries = chain(4);
        ReceiptLog.Entry second = entries.get(1);
        var receipt = second.receipt().deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) receipt.get("receipt")).put("attempt", 2);
        entries.set(
                1, new ReceiptLog.Entry(2, second.jobId(), second.receiptCid(), second.prev(), second.hash(), receipt));
        assertThat(ReceiptLogVerifier.verify(export(entries, entries.getLast()))
                        .problems()
                        .getFirst())
                .startsWith("entry seq 2: its receipt does not verify");
    }

    @Test
    void aRemovedEntryIsCaughtWhereItWas() {
        List<ReceiptLog.Entry> entries = chain(6);
        ReceiptLog.Entry head = entries.getLast();
        entries.remove(3);
        assertThat(ReceiptLogVerifier.verify(export(entries, head)).problems().getFirst())
                .isEqualTo("entry seq 5 follows seq 3: entries 4 were removed");
    }

    @Test
    void anInsertedEntryIsCaughtAtTheInsertion() {
        List<ReceiptLog.Entry> entries = chain(6);
        ReceiptLog.Entry head = entries.getLast();
        ReceiptLog.Entry copy = entries.get(1);
        entries.add(4, copy);
        assertThat(ReceiptLogVerifier.verify(export(entries, head)).problems().getFirst())
                .startsWith("entry seq 2 comes after seq 4");
    }

    @Test
    void reorderedEntriesAreCaughtAtTheFirstOutOfPlace() {
        List<ReceiptLog.Entry> entries = chain(6);
        ReceiptLog.Entry head = entries.getLast();
        ReceiptLog.Entry moved = entries.remove(1);
        entries.add(3, moved);
        assertThat(ReceiptLogVerifier.verify(export(entries, head)).problems().getFirst())
                .startsWith("entry seq 3 follows seq 1");
    }

    @Test
    void aRewrittenTailFailsTheSignedCheckpoint() {
        List<ReceiptLog.Entry> entries = chain(5);
        ReceiptLog.Entry signedHead = entries.getLast();
        // Rebuild the chain from entry 3 on with another receipt: every hash is consistent again.
        List<ReceiptLog.Entry> rewritten = new ArrayList<>(entries.subList(0, 2));
        String prev = rewritten.getLast().hash();
        for (int i = 2; i < 5; i++) {
            String cid = entries.get(4 - i + 2).receiptCid();
            String hash = ReceiptLog.hash(prev, cid);
            rewritten.add(new ReceiptLog.Entry(i + 1, "job-x", cid, prev, hash, null));
            prev = hash;
        }
        assertThat(ReceiptLogVerifier.verify(export(rewritten, signedHead)).problems())
                .containsExactly("entry seq 5 is not the head the coordinator signed: the log was rewritten");
    }
}
