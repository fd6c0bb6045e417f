package org.planetarymesh.client;

import java.util.List;

/** The request or spec was refused as malformed or invalid (HTTP 400, 413, 415, 422); {@link #details()} says which fields. */
public class InvalidRequestException extends MeshClientException {

    public InvalidRequestException(
            String code, int status, String message, List<ErrorDetail> details, Throwable cause) {
        super(code, status, message, details, cause);
    }
}
