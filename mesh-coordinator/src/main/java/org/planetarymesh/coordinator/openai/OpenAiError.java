package org.planetarymesh.coordinator.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.planetarymesh.coordinator.api.ApiException;
import org.planetarymesh.core.job.ErrorCode;
import org.planetarymesh.core.job.JobError;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.json.Json;

/**
 * Errors of the OpenAI-compatible routes in OpenAI's own shape, {@code {"error": {"message", "type", "param",
 * "code"}}}, so that OpenAI's client libraries raise their usual exceptions; and how a failed inference job maps to an
 * HTTP status.
 */
public final class OpenAiError {

    /** The paths whose errors are written in OpenAI's shape instead of the mesh's. */
    private static final List<String> PATHS = List.of("/v1/chat/completions", "/v1/models");

    private OpenAiError() {}

    /** Whether {@code path} is one of the OpenAI-compatible routes. */
    public static boolean covers(String path) {
        String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
        return PATHS.contains(p);
    }

    /** The body for {@code e}: OpenAI's error object, with the mesh's code and, for a field problem, its name. */
    public static ObjectNode body(ApiException e) {
        // A tree, not a map: the shared mapper leaves out nulls, and OpenAI's shape always has "param"
        ObjectNode body = Json.mapper().createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("message", e.getMessage());
        error.put("type", type(e.status()));
        Object param = param(e);
        if (param == null) {
            error.putNull("param");
        } else {
            error.put("param", param.toString());
        }
        error.put("code", e.code());
        return body;
    }

    /** OpenAI's error type for an HTTP status. */
    static String type(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 429 -> "rate_limit_error";
            default -> status >= 500 ? "server_error" : "invalid_request_error";
        };
    }

    private static Object param(ApiException e) {
        if (e.details() instanceof List<?> details
                && !details.isEmpty()
                && details.getFirst() instanceof Map<?, ?> first) {
            return first.get("field");
        }
        return null;
    }

    /** A 400 about one request field, which OpenAI's error names in {@code param}. */
    static ApiException invalid(String param, String message) {
        return new ApiException(400, "invalid_request", message, List.of(Map.of("field", param, "message", message)));
    }

    /**
     * The HTTP answer for an inference job that ended without completing: 404 when no node has the model, 429 when
     * every node serving it is full, 502 when the backend could not be reached or refused the agent's key, 504 on a
     * backend timeout or the job's deadline, 500 for everything else (499 for a cancelled job, whose client has gone).
     */
    static ApiException forEnded(String jobId, JobStatus status, JobError error) {
        String why = error == null ? "the job ended " + status : error.message();
        String message = "inference job " + jobId + " " + status.name().toLowerCase(java.util.Locale.ROOT) + ": " + why;
        if (status == JobStatus.CANCELLED) {
            return new ApiException(499, "cancelled", message);
        }
        ErrorCode code = error == null ? ErrorCode.UNKNOWN : ErrorCode.fromWire(error.code());
        String wire = error == null ? "internal" : error.code();
        int http = switch (code) {
            case MODEL_NOT_LOADED -> 404;
            case OUT_OF_CAPACITY, BACKPRESSURE -> 429;
            case BACKEND_UNREACHABLE, AUTH_REJECTED_BY_BACKEND, NODE_LOST, AGENT_STOPPING -> 502;
            case BACKEND_TIMEOUT, TIMEOUT, DEADLINE_EXCEEDED -> 504;
            case INVALID_PAYLOAD -> 400;
            default -> status == JobStatus.TIMED_OUT ? 504 : 500;
        };
        return new ApiException(http, wire, message);
    }
}
