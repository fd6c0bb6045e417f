package org.planetarymesh.core.receipt;

import com.fasterxml.jackson.core.JsonProcessingException;
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

    /** The canonical UTF-8 bytes of a JSON tree. */
    public static byte[] of(JsonNode node) {
        return of(node == null ? "null" : node.toString());
    }

    /** The canonical UTF-8 bytes of {@code value} as the shared mapper writes it (snake_case records). */
    public static byte[] ofValue(Object value) {
        try {
            return of(Json.mapper().writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** The json-codec CID of {@code node}'s canonical form. */
    public static String cid(JsonNode node) {
        return Cid.of(Cid.Codec.JSON, of(node));
    }
}
