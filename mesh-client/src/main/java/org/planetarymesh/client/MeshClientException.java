package org.planetarymesh.client;

import java.util.List;

/**
 * The root of every failure the SDK reports: the API's error {@code code} (e.g. {@code invalid_spec}), the HTTP
 * status (0 when no answer arrived), the server's message and its details. Unchecked, so that it passes through
 * streams and lambdas; catch a subclass to handle one kind of failure.
 */
public class MeshClientException extends RuntimeException {

    private final String code;
    private final int status;
    private final List<ErrorDetail> details;

    public MeshClientException(String code, int status, String message, List<ErrorDetail> details, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.status = status;
        this.details = details == null ? List.of() : List.copyOf(details);
    }

    public MeshClientException(String code, int status, String message) {
        this(code, status, message, List.of(), null);
    }

    /** The API's machine-readable error code, such as {@code not_found} or {@code invalid_spec}. */
    public String code() {
        return code;
    }

    /** The HTTP status of the answer, or 0 when the coordinator did not answer at all. */
    public int status() {
        return status;
    }

    /** Per-field problems (422), empty when the API gave none. */
    public List<ErrorDetail> details() {
        return details;
    }
}
