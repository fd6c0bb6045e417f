package org.planetarymesh.core.protocol;

/** A frame was refused; {@link #code()} is stable for programs, the message says what to fix. */
public final class ProtocolException extends RuntimeException {
    private final String code;

    public ProtocolException(String code, String message) {
        super(message);
        this.code = code;
    }

    /** One of {@code frame_too_large}, {@code malformed_json}, {@code unknown_type}, {@code unsupported_version},
     * {@code missing_field}, {@code wrong_type}, {@code invalid_frame}, {@code hello_in_batch}. */
    public String code() {
        return code;
    }
}
