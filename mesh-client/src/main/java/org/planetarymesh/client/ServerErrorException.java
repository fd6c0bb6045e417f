package org.planetarymesh.client;

import java.util.List;

/** The coordinator failed to handle a request (HTTP 5xx). */
public class ServerErrorException extends MeshClientException {

    public ServerErrorException(String code, int status, String message, List<ErrorDetail> details, Throwable cause) {
        super(code, status, message, details, cause);
    }
}
