package org.planetarymesh.store;

import java.util.List;
import java.util.Optional;

/**
 * The stored receipt log: one row per accepted execution receipt, chained by hash (see
 * {@code core.receipt.ReceiptLog}). Rows are written with their job's COMPLETED transition as a {@link ReceiptLogRow}
 * in the same group commit; this interface reads them.
 */
public interface ReceiptLogStore {

    /** A store without a receipt log (test doubles): empty, and nothing to read. */
    ReceiptLogStore NONE = new ReceiptLogStore() {
        @Override
        public Optional<StoredEntry> head() {
            return Optional.empty();
        }

        @Override
        public Optional<StoredEntry> forJob(String jobId) {
            return Optional.empty();
        }

        @Override
        public List<StoredEntry> from(long seq, int limit) {
            return List.of();
        }
    };

    /** The last entry, if any. */
    Optional<StoredEntry> head();

    /** The entry of {@code jobId}'s receipt, if it has one. */
    Optional<StoredEntry> forJob(String jobId);

    /** Up to {@code limit} entries with {@code seq >= seq}, in order. */
    List<StoredEntry> from(long seq, int limit);

    /** One stored entry; {@code receipt} is the signed receipt's JSON text as the node sent it. */
    record StoredEntry(
            long seq,
            String jobId,
            int attempt,
            String receiptCid,
            String prev,
            String hash,
            String receipt,
            long recordedAtMillis) {}
}
