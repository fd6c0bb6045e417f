package org.planetarymesh.core.receipt;

import com.fasterxml.jackson.databind.JsonNode;
import org.planetarymesh.core.json.Json;

/**
 * What a node states about one successful attempt it ran: which job (its id and the CID of its canonical spec), which
 * attempt, who ran it (the executor's did:key), what went in ({@code input_cid}: the canonical payload), what came out
 * ({@code output_cid}: the canonical output document, see {@link OutputDigest}), how it ended, when, and what it used.
 * Times are ISO-8601 strings and numbers integers, so the RFC 8785 form is the same in every language. Its CID is the
 * json-codec CIDv1 of that canonical form ({@link #cid()}); the executor signs it inside a batch ({@link
 * SignedReceipt}).
 */
public record ExecutionReceipt(
        int v,
        String jobId,
        String specCid,
        int attempt,
        String executor,
        String inputCid,
        String outputCid,
        String status,
        String startedAt,
        String finishedAt,
        Usage usage) {

    /** The receipt format version this build writes and reads. */
    public static final int VERSION = 1;

    /** What the attempt used: wall time and, for inference, tokens. */
    public record Usage(long durationMs, long tokensIn, long tokensOut) {}

    /** The receipt as a JSON tree (snake_case), the form it travels in. */
    public JsonNode toJson() {
        return Json.mapper().valueToTree(this);
    }

    /** The receipt in a JSON tree, or {@link IllegalArgumentException} naming what does not fit. */
    public static ExecutionReceipt fromJson(JsonNode node) {
        try {
            return Json.mapper().treeToValue(node, ExecutionReceipt.class);
        } catch (Exception e) {
            throw new IllegalArgumentException("not an execution receipt: " + e.getMessage(), e);
        }
    }

    /** RFC 8785 canonical bytes of the receipt: what its CID hashes. */
    public byte[] canonicalBytes() {
        return Canonical.ofValue(this);
    }

    /** The receipt's CID (CIDv1, json codec, sha2-256, base32). */
    public String cid() {
        return Cid.of(Cid.Codec.JSON, canonicalBytes());
    }
}
