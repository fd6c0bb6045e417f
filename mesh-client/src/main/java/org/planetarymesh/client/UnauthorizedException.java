package org.planetarymesh.client;

import java.util.List;

/** No token, or a token the coordinator does not accept (HTTP 401); {@link ForbiddenException} for a weak role. */
public class UnauthorizedException extends MeshClientException {

    public UnauthorizedException(String code, int status, String message, List<ErrorDetail> details, Throwable cause) {
        super(code, status, message, details, cause);
    }
}
