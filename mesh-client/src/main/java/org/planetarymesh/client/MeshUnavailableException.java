package org.planetarymesh.client;

import java.util.List;

/** No answer: the coordinator could not be reached, or did not answer in time. */
public class MeshUnavailableException extends MeshClientException {

    public MeshUnavailableException(
            String code, int status, String message, List<ErrorDetail> details, Throwable cause) {
        super(code, status, message, details, cause);
    }
}
