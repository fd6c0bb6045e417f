package org.planetarymesh.coordinator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import org.planetarymesh.coordinator.openai.OpenAiError;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.core.text.SafeText;
import org.planetarymesh.core.text.Utf8;

/** Small helpers every handler uses: read a JSON body with precise errors, write JSON, render errors. */
public final class Http {

    private static final String BODY = "mesh.request-body";

    private Http() {}

    /**
     * The request body as JSON; 413, 415 or 400 with what to fix when it is not acceptable. Strict where a lenient
     * parser would guess: the bytes must be well-formed UTF-8, a key may appear once per object, nothing may follow
     * the document, and no string may hold U+0000 or an unpaired surrogate ({@link SafeText}).
     */
    public static JsonNode jsonBody(Context ctx, long maxBytes) {
        String type = ctx.contentType();
        if (type != null && !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new ApiException(
                    415,
                    "unsupported_media_type",
                    "send the body as JSON with 'Content-Type: application/json' (got '" + type + "')");
        }
        byte[] body = body(ctx, maxBytes);
        if (body.length == 0) {
            throw ApiException.badRequest("the request body is empty; send a JSON object");
        }
        int invalid = Utf8.firstInvalid(body);
        if (invalid >= 0) {
            throw new ApiException(
                    400,
                    "malformed_json",
                    "the body is not valid UTF-8 at byte " + invalid + " (0x"
                            + Integer.toHexString(body[invalid] & 0xff)
                            + "): send JSON as UTF-8, without overlong forms or encoded surrogates");
        }
        JsonNode node;
        try {
            node = Json.strictReader().readTree(body);
        } catch (StreamConstraintsException e) {
            if (e.getOriginalMessage().contains("nesting depth")) {
                throw new ApiException(
                        400,
                        "malformed_json",
                        "the body nests arrays and objects deeper than " + Json.MAX_NESTING_DEPTH
                                + " levels, more than the API reads; flatten it, or send the deep part as a string");
            }
            throw new ApiException(400, "malformed_json", "the body exceeds a JSON limit: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            var location = e.getLocation();
            String where =
                    location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
            throw new ApiException(
                    400, "malformed_json", "the body is not valid JSON" + where + ": " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new ApiException(400, "malformed_json", "the body could not be read: " + e.getMessage());
        }
        if (node == null || node.isMissingNode()) {
            throw ApiException.badRequest("the request body is empty; send a JSON object");
        }
        // Only a JSON escape (backslash, u) can put such a character in a string: raw control bytes are refused by the
        // parser and the bytes are checked UTF-8 above. So the walk is skipped for the usual body.
        if (containsEscape(body)) {
            SafeText.Problem problem = SafeText.find(node);
            if (problem != null) {
                throw invalidText(problem.field(), problem.message());
            }
        }
        return node;
    }

    /** 400 for a string that breaks {@link SafeText}'s rule, naming where it is. */
    static ApiException invalidText(String field, String problem) {
        return invalidText(field, field, problem);
    }

    /** {@link #invalidText(String, String)} whose message calls the field {@code what}. */
    static ApiException invalidText(String what, String field, String problem) {
        return new ApiException(
                400,
                "invalid_string",
                what + " " + problem,
                java.util.List.of(Map.of("field", field, "message", problem)));
    }

    private static boolean containsEscape(byte[] body) {
        for (int i = 0; i + 1 < body.length; i++) {
            if (body[i] == '\\' && body[i + 1] == 'u') {
                return true;
            }
        }
        return false;
    }

    /**
     * The request body's bytes, at most {@code maxBytes} (413 beyond), read once and kept for a second reader. A body
     * with a Content-Length is read into an array of exactly that size: Javalin's own reader copies through an 8 KB
     * buffer and a growing stream for every request.
     */
    public static byte[] body(Context ctx, long maxBytes) {
        byte[] body = ctx.attribute(BODY);
        if (body != null) {
            return body;
        }
        long declared = ctx.contentLength();
        if (declared > maxBytes) {
            throw tooLarge(maxBytes);
        }
        body = declared < 0 ? ctx.bodyAsBytes() : readExactly(ctx, (int) declared);
        if (body.length > maxBytes) {
            throw tooLarge(maxBytes);
        }
        ctx.attribute(BODY, body);
        return body;
    }

    private static byte[] readExactly(Context ctx, int length) {
        byte[] body = new byte[length];
        try {
            if (ctx.req().getInputStream().readNBytes(body, 0, length) < length) {
                throw ApiException.badRequest("the request body ended before its Content-Length was reached");
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e); // a client gone mid-body: ApiServer answers it as its fault
        }
        return body;
    }

    private static ApiException tooLarge(long maxBytes) {
        return new ApiException(413, "body_too_large", "the request body is larger than " + maxBytes + " bytes");
    }

    public static void json(Context ctx, int status, Object value) {
        try {
            ctx.status(status)
                    .contentType("application/json")
                    .result(Json.mapper().writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render response", e);
        }
    }

    static void error(Context ctx, ApiException e) {
        if (OpenAiError.covers(ctx.path())) {
            // OpenAI's clients read their own error shape; the mesh's code goes in its "code"
            if (e.status() == 429 || e.status() == 503) {
                ctx.header("Retry-After", "1");
            }
            json(ctx, e.status(), OpenAiError.body(e));
            return;
        }
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", e.code());
        error.put("message", e.getMessage());
        if (e.details() != null) {
            error.put("details", e.details());
        }
        if (e.status() == 503) {
            ctx.header("Retry-After", Integer.toString(StoreGate.RETRY_AFTER_SECONDS));
        }
        json(ctx, e.status(), Map.of("error", error));
    }
}
