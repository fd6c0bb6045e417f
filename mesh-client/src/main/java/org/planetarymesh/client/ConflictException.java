package org.planetarymesh.client;

import java.util.List;

/** The request conflicts with the job's state, e.g. cancelling a finished job (HTTP 409). */
public class ConflictException extends MeshClientException {

    public ConflictException(String code, int status, String message, List<ErrorDetail> details, Throwable cause) {
        super(code, status, message, details, cause);
    }
}
