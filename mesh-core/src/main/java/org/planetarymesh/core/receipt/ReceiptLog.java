package org.planetarymesh.core.receipt;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * The hash-chained log of accepted receipts. Entry {@code n} commits to entry {@code n-1}:
 * {@code hash = sha256(prev_hash || binary receipt CID)}, the first entry's {@code prev} being 32 zero bytes; so
 * editing, removing, inserting or reordering any entry changes every hash after it. The coordinator signs the head
 * it exports ({@link Checkpoint}), so a rewritten tail cannot pass as its log either.
 */
public final class ReceiptLog {

    /** The {@code prev} of the first entry: 32 zero bytes, hex. */
    public static final String GENESIS = "0".repeat(64);

    private static final HexFormat HEX = HexFormat.of();
    private static final String CHECKPOINT_DOMAIN = "planetary-mesh receipt-log checkpoint v1\n";

    private ReceiptLog() {}

    /** One entry: its position, job, receipt CID, the previous entry's hash, its own hash, and the signed receipt. */
    public record Entry(long seq, String jobId, String receiptCid, String prev, String hash, JsonNode receipt) {}

    /** The coordinator's signature of the log's head at {@code seq}: its hash, when, and who signed. */
    public record Checkpoint(long seq, String hash, String signedAt, String coordinator, String signature) {}

    /** A stretch of the log from some seq, with the signed checkpoint of its last entry. */
    public record Export(List<Entry> entries, Checkpoint checkpoint) {
        public Export {
            entries = entries == null ? List.of() : List.copyOf(entries);
        }
    }

    /** The hash of the entry after {@code prev} (hex) for {@code receiptCid}. */
    public static String hash(String prev, String receiptCid) {
        return hash(prev, Cid.parse(receiptCid));
    }

    /** The hash of the entry after {@code prev} (hex) for the receipt whose binary CID is {@code binaryCid}. */
    public static String hash(String prev, byte[] binaryCid) {
        MessageDigest sha = Cid.newSha256();
        sha.update(HEX.parseHex(prev));
        return HEX.formatHex(sha.digest(binaryCid));
    }

    /** The bytes a checkpoint's signature covers. */
    public static byte[] checkpointBytes(long seq, String hash, String signedAt, String coordinator) {
        return (CHECKPOINT_DOMAIN + seq + '\n' + hash + '\n' + signedAt + '\n' + coordinator)
                .getBytes(StandardCharsets.UTF_8);
    }
}
