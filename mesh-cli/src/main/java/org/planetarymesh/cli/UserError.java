package org.planetarymesh.cli;

/** A mistake the user can fix (unreadable payload file, bad JSON); printed as one line with its code. */
public final class UserError extends RuntimeException {

    private final String code;

    public UserError(String code, String message) {
        super(message);
        this.code = code;
    }

    public UserError(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
