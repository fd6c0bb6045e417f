package org.planetarymesh.client;

import java.util.List;

/** A limit was hit (HTTP 429); try again later. */
public class RateLimitedException extends MeshClientException {

    public RateLimitedException(String code, int status, String message, List<ErrorDetail> details, Throwable cause) {
        super(code, status, message, details, cause);
    }
}
