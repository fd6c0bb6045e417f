package org.planetarymesh.core.receipt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The compact form of {@code job_done.receipt} (ADR 0105): only what the coordinator cannot know itself, the receipt's
 * {@code started_at} and {@code finished_at}, plus the CID of the whole receipt the executor built and signed (in the
 * frame's {@code receipt_batch}). The coordinator rebuilds the receipt from what it holds (job, spec CID, attempt, the
 * node's did:key, input and output CIDs, the {@code job_done}'s usage) and these times, and takes it only if the
 * rebuilt receipt hashes to {@code cid}; it then stores the whole, self-contained {@link SignedReceipt}.
 */
public record CompactReceipt(String cid, String startedAt, String finishedAt) {

    /** Whether {@code receipt} (a {@code job_done.receipt}) is in this form rather than a whole signed receipt. */
    public static boolean isCompact(JsonNode receipt) {
        return receipt != null && receipt.isObject() && receipt.has("cid") && !receipt.has("batch");
    }

    /** As it travels. */
    public JsonNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("cid", cid);
        node.put("started_at", startedAt);
        node.put("finished_at", finishedAt);
        return node;
    }

    /** The compact receipt in {@code node}, or {@link IllegalArgumentException} naming the field that does not fit. */
    public static CompactReceipt fromJson(JsonNode node) {
        String cid = text(node, "cid");
        Cid.parse(cid);
        return new CompactReceipt(cid, instant(node, "started_at"), instant(node, "finished_at"));
    }

    /** The binary form of {@link #cid}. */
    public byte[] binaryCid() {
        return Cid.parse(cid);
    }

    /** The whole receipt of a completed attempt, from what the coordinator holds and this receipt's times. */
    public ExecutionReceipt rebuild(
            String jobId,
            String specCid,
            int attempt,
            String executor,
            String inputCid,
            String outputCid,
            ExecutionReceipt.Usage usage) {
        return new ExecutionReceipt(
                ExecutionReceipt.VERSION,
                jobId,
                specCid,
                attempt,
                executor,
                inputCid,
                outputCid,
                "completed",
                startedAt,
                finishedAt,
                usage);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("receipt." + field + " must be a string");
        }
        return value.textValue();
    }

    /**
     * An ISO-8601 instant's characters, at most 40 of them: a cheap shape check on the per-job path (a full parse cost
     * more than the rest of the receipt's check); the times are the node's statement, so only their form is ours to
     * police.
     */
    private static String instant(JsonNode node, String field) {
        String text = text(node, field);
        boolean fits = text.length() >= 20 && text.length() <= 40 && text.charAt(4) == '-' && text.charAt(10) == 'T';
        for (int i = 0; i < text.length() && fits; i++) {
            char c = text.charAt(i);
            fits = (c >= '0' && c <= '9') || c == '-' || c == ':' || c == '.' || c == 'T' || c == 'Z' || c == '+';
        }
        if (!fits) {
            throw new IllegalArgumentException("receipt." + field + " must be an ISO-8601 instant, was " + text);
        }
        return text;
    }
}
