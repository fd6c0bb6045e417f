package org.planetarymesh.coordinator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import org.planetarymesh.core.json.Json;

/** Small helpers every handler uses: read a JSON body with precise errors, write JSON, render errors. */
final class Http {

    private static final String BODY = "mesh.request-body";

    private Http() {}

    /** The request body as JSON; 413, 415 or 400 with what to fix when it is not acceptable. */
    static JsonNode jsonBody(Context ctx, long maxBytes) {
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
        try {
            JsonNode node = Json.mapper().readTree(body);
            if (node == null || node.isMissingNode()) {
                throw ApiException.badRequest("the request body is empty; send a JSON object");
            }
            return node;
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
    }

    /**
     * The request body's bytes, at most {@code maxBytes} (413 beyond), read once and kept for a second reader. A body
     * with a Content-Length is read into an array of exactly that size: Javalin's own reader copies through an 8 KB
     * buffer and a growing stream for every request.
     */
    static byte[] body(Context ctx, long maxBytes) {
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

    static void json(Context ctx, int status, Object value) {
        try {
            ctx.status(status)
                    .contentType("application/json")
                    .result(Json.mapper().writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render response", e);
        }
    }

    static void error(Context ctx, ApiException e) {
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
