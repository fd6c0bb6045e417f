package org.planetarymesh.core.receipt;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import org.erdtman.jcs.JsonCanonicalizer;
import org.planetarymesh.core.json.Json;

/**
 * RFC 8785 (JCS) canonical JSON through {@code io.github.erdtman:java-json-canonicalization}: keys sorted by UTF-16
 * code units, no whitespace, ECMAScript numbers. Everything a receipt names by CID is hashed in this form, so a
 * verifier anywhere gets the same bytes from any equivalent JSON text.
 */
public final class Canonical {

    private Canonical() {}

    /** The canonical UTF-8 bytes of the JSON text {@code json}; throws {@link IllegalArgumentException} if not JSON. */
    public static byte[] of(String json) {
        try {
            // The library reads only an object or array at the top; a scalar (an echo job's result, say) goes in
            // as the one element of an array, and the brackets come off again.
            byte[] wrapped = new JsonCanonicalizer("[" + json + "]").getEncodedUTF8();
            return java.util.Arrays.copyOfRange(wrapped, 1, wrapped.length - 1);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not canonicalisable JSON: " + e.getMessage(), e);
        }
    }

    /**
     * The canonical UTF-8 bytes of a JSON tree, written from the tree ({@link CanonicalWriter}: the same bytes as the
     * library's, without its parse).
     */
    public static byte[] of(JsonNode node) {
        return CanonicalWriter.write(node);
    }

    /** The canonical UTF-8 bytes of {@code value} as the shared mapper writes it (snake_case records). */
    public static byte[] ofValue(Object value) {
        return of((JsonNode) Json.mapper().valueToTree(value));
    }

    /** The json-codec CID of {@code node}'s canonical form. */
    public static String cid(JsonNode node) {
        return Cid.of(Cid.Codec.JSON, of(node));
    }
}
