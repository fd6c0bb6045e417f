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
        long declared = ctx.contentLength();
        if (declared > maxBytes) {
            throw tooLarge(maxBytes);
        }
        byte[] body = ctx.bodyAsBytes();
        if (body.length > maxBytes) {
            throw tooLarge(maxBytes);
        }
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
        json(ctx, e.status(), Map.of("error", error));
    }
}
