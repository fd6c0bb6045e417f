package org.planetarymesh.core.receipt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

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

    /**
     * The receipt as a JSON tree (snake_case, null fields left out), the form it travels in. Built field by field:
     * the mapper's record binding cost more than signing a batch's share per receipt.
     */
    public JsonNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("v", v);
        putText(node, "job_id", jobId);
        putText(node, "spec_cid", specCid);
        node.put("attempt", attempt);
        putText(node, "executor", executor);
        putText(node, "input_cid", inputCid);
        putText(node, "output_cid", outputCid);
        putText(node, "status", status);
        putText(node, "started_at", startedAt);
        putText(node, "finished_at", finishedAt);
        if (usage != null) {
            node.putObject("usage")
                    .put("duration_ms", usage.durationMs())
                    .put("tokens_in", usage.tokensIn())
                    .put("tokens_out", usage.tokensOut());
        }
        return node;
    }

    private static void putText(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    /** The receipt in a JSON tree, or {@link IllegalArgumentException} naming the field that does not fit. */
    public static ExecutionReceipt fromJson(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("a receipt is a JSON object");
        }
        JsonNode usage = node.get("usage");
        if (usage != null && !usage.isObject()) {
            throw new IllegalArgumentException("receipt.usage must be an object");
        }
        return new ExecutionReceipt(
                integer(node, "v"),
                text(node, "job_id"),
                text(node, "spec_cid"),
                integer(node, "attempt"),
                text(node, "executor"),
                text(node, "input_cid"),
                text(node, "output_cid"),
                text(node, "status"),
                text(node, "started_at"),
                text(node, "finished_at"),
                usage == null
                        ? null
                        : new Usage(
                                whole(usage, "duration_ms"), whole(usage, "tokens_in"), whole(usage, "tokens_out")));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("receipt." + field + " must be a string");
        }
        return value.textValue();
    }

    private static int integer(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isInt()) {
            throw new IllegalArgumentException("receipt." + field + " must be an integer");
        }
        return value.intValue();
    }

    private static long whole(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToExactIntegral() || !value.canConvertToLong()) {
            throw new IllegalArgumentException("receipt.usage." + field + " must be an integer");
        }
        return value.longValue();
    }

    /**
     * RFC 8785 canonical bytes of the receipt: what its CID hashes. Written directly in the canonical key order (the
     * same bytes as {@code Canonical.of(toJson())}, which {@code ExecutionReceiptTest} checks), since both the agent and
     * the coordinator compute it for every completed job.
     */
    public byte[] canonicalBytes() {
        StringBuilder out = new StringBuilder(512);
        out.append("{\"attempt\":").append(attempt);
        field(out, "executor", executor);
        field(out, "finished_at", finishedAt);
        field(out, "input_cid", inputCid);
        field(out, "job_id", jobId);
        field(out, "output_cid", outputCid);
        field(out, "spec_cid", specCid);
        field(out, "started_at", startedAt);
        field(out, "status", status);
        if (usage != null) {
            out.append(",\"usage\":{\"duration_ms\":");
            CanonicalWriter.integer(out, usage.durationMs());
            out.append(",\"tokens_in\":");
            CanonicalWriter.integer(out, usage.tokensIn());
            out.append(",\"tokens_out\":");
            CanonicalWriter.integer(out, usage.tokensOut());
            out.append('}');
        }
        out.append(",\"v\":").append(v).append('}');
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void field(StringBuilder out, String name, String value) {
        if (value != null) {
            out.append(",\"").append(name).append("\":");
            CanonicalWriter.string(out, value);
        }
    }

    /** The receipt's binary CID ({@code 01 || json codec || 12 20 || sha256}): what its Merkle leaf hashes. */
    public byte[] binaryCid() {
        return Cid.binary(Cid.Codec.JSON, Cid.sha256(canonicalBytes()));
    }

    /** The receipt's CID (CIDv1, json codec, sha2-256, base32). */
    public String cid() {
        return "b" + Base32.encode(binaryCid());
    }
}
