package org.planetarymesh.core.receipt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.planetarymesh.core.json.Json;

/**
 * The CID of an attempt's output, computed as it streams. The output document is
 * {@code {"chunks": [{"data": <base64>, "seq": n, "stream": s}, ...], "result": <result>}}: every {@code job_chunk}
 * in the order sent, then the result of {@code job_done}. Its RFC 8785 form starts {@code {"chunks":[}, has each
 * chunk's canonical object separated by commas, then {@code ],"result":} and the canonical result and {@code }}: keys
 * sort {@code chunks} before {@code result}, so the hash can be fed chunk by chunk and nothing is kept. Agent and
 * coordinator both compute it; {@link #document} builds the whole document for offline checks.
 */
public final class OutputDigest {

    private static final byte[] OPEN = "{\"chunks\":[".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] COMMA = {','};
    private static final byte[] RESULT = "],\"result\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLOSE = {'}'};

    private final MessageDigest sha = Cid.newSha256();
    private boolean first = true;

    public OutputDigest() {
        sha.update(OPEN);
    }

    /** Adds a chunk ({@code data} as base64, as {@code job_chunk} carries it). */
    public void chunk(long seq, String stream, String data) {
        if (!first) {
            sha.update(COMMA);
        }
        first = false;
        sha.update(Canonical.of(chunkNode(seq, stream, data)));
    }

    /** Ends the document with {@code result} and returns its CID; the digest cannot be used again. */
    public String finish(JsonNode result) {
        sha.update(RESULT);
        sha.update(Canonical.of(result));
        sha.update(CLOSE);
        return Cid.ofDigest(Cid.Codec.JSON, sha.digest());
    }

    /** The CID of an output without chunks. */
    public static String ofResult(JsonNode result) {
        return new OutputDigest().finish(result);
    }

    /** An empty output document to add chunks to with {@link #addChunk}, ending in {@code result}. */
    public static ObjectNode document(JsonNode result) {
        ObjectNode doc = Json.mapper().createObjectNode();
        doc.putArray("chunks");
        doc.set("result", result == null ? Json.mapper().nullNode() : result);
        return doc;
    }

    /** Appends a chunk to an output document from {@link #document}. */
    public static void addChunk(ObjectNode document, long seq, String stream, String data) {
        ((ArrayNode) document.get("chunks")).add(chunkNode(seq, stream, data));
    }

    private static ObjectNode chunkNode(long seq, String stream, String data) {
        ObjectNode chunk = Json.mapper().createObjectNode();
        chunk.put("data", data);
        chunk.put("seq", seq);
        chunk.put("stream", stream);
        return chunk;
    }
}
