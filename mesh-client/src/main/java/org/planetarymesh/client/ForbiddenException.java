package org.planetarymesh.client;

import java.util.List;

/** The token is valid but its role may not do this (HTTP 403). */
public class ForbiddenException extends UnauthorizedException {

    public ForbiddenException(String code, int status, String message, List<ErrorDetail> details, Throwable cause) {
        super(code, status, message, details, cause);
    }
}
