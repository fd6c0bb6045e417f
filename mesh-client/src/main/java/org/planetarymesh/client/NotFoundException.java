package org.planetarymesh.client;

import java.util.List;

/** The id or path does not exist (HTTP 404). */
public class NotFoundException extends MeshClientException {

    public NotFoundException(String code, int status, String message, List<ErrorDetail> details, Throwable cause) {
        super(code, status, message, details, cause);
    }
}
