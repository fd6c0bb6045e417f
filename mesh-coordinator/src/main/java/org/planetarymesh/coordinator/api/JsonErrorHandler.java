package org.planetarymesh.coordinator.api;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.planetarymesh.core.json.Json;

/**
 * Jetty's own answers (a request it refuses before any route runs: an ambiguous or malformed URI, bad headers) in the
 * API's error shape {@code {"error": {"code", "message"}}} instead of Jetty's HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {

    /** Unlike Jetty's handler, answers every method (Jetty writes no body for methods other than GET, POST, HEAD). */
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int code = request.getAttribute(ERROR_STATUS) instanceof Integer status ? status : response.getStatus();
        Object message = request.getAttribute(ERROR_MESSAGE);
        generateCacheControl(response);
        generateResponse(request, response, code, message == null ? null : message.toString(), null, callback);
        return true;
    }

    @Override
    protected void generateResponse(
            Request request, Response response, int code, String message, Throwable cause, Callback callback) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code == 400 ? "bad_request" : "http_" + code);
        error.put(
                "message",
                message == null || message.isBlank()
                        ? "the request is malformed (HTTP " + code + ")"
                        : "the request is malformed: " + message);
        byte[] body;
        try {
            body = Json.mapper().writeValueAsBytes(Map.of("error", error));
        } catch (Exception e) {
            body = ("{\"error\":{\"code\":\"http_" + code + "\",\"message\":\"the request is malformed\"}}").getBytes();
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
