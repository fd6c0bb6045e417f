package org.planetarymesh.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.planetarymesh.core.json.Json;

/**
 * Turns an HTTP error answer into the typed exception for its status. The body is expected to be the API's
 * {@code {"error": {"code", "message", "details"}}}; anything else (a proxy's HTML page) still yields an exception with
 * the status and a code derived from it, so callers never see a parse failure instead of the real problem.
 */
final class ErrorResponses {

    private static final int MAX_BODY_IN_MESSAGE = 200;

    private ErrorResponses() {}

    static MeshClientException toException(int status, String body) {
        String code = defaultCode(status);
        String message = "HTTP " + status;
        List<ErrorDetail> details = List.of();
        JsonNode error = parseError(body);
        if (error != null) {
            code = error.path("code").asText(code);
            message = error.path("message").asText(message);
            details = details(error.path("details"));
        } else if (body != null && !body.isBlank()) {
            message = message + ": " + abbreviate(body.strip());
        }
        return switch (status) {
            case 400, 413, 415, 422 -> new InvalidRequestException(code, status, message, details, null);
            case 401 -> new UnauthorizedException(code, status, message, details, null);
            case 403 -> new ForbiddenException(code, status, message, details, null);
            case 404 -> new NotFoundException(code, status, message, details, null);
            case 409 -> new ConflictException(code, status, message, details, null);
            case 429 -> new RateLimitedException(code, status, message, details, null);
            default ->
                status >= 500
                        ? new ServerErrorException(code, status, message, details, null)
                        : new MeshClientException(code, status, message, details, null);
        };
    }

    private static JsonNode parseError(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode error = Json.mapper().readTree(body).path("error");
            return error.isObject() ? error : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static List<ErrorDetail> details(JsonNode node) {
        if (!node.isArray()) {
            return List.of();
        }
        List<ErrorDetail> out = new ArrayList<>();
        for (JsonNode item : node) {
            if (item.isObject()) {
                Integer index = item.hasNonNull("index") ? item.get("index").asInt() : null;
                String field = item.hasNonNull("field") ? item.get("field").asText() : null;
                out.add(new ErrorDetail(index, field, item.path("message").asText("")));
            } else {
                out.add(new ErrorDetail(null, null, item.asText()));
            }
        }
        return out;
    }

    private static String defaultCode(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 409 -> "conflict";
            case 413 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            case 422 -> "invalid_spec";
            case 429 -> "rate_limited";
            default -> status >= 500 ? "server_error" : "http_" + status;
        };
    }

    private static String abbreviate(String text) {
        String oneLine = text.replaceAll("\\s+", " ");
        return oneLine.length() <= MAX_BODY_IN_MESSAGE ? oneLine : oneLine.substring(0, MAX_BODY_IN_MESSAGE) + "…";
    }
}
