package org.planetarymesh.core.job;

/**
 * Why an attempt or a job failed: a stable machine code and a sentence for people. The code is kept as it arrived
 * (see {@link ErrorCode} for why); {@link #codeKind()} reads it typed.
 */
public record JobError(String code, String message) {

    /** An error with one of the codes this version knows. */
    public JobError(ErrorCode code, String message) {
        this(code.wireName(), message);
    }

    /** The code as a type: {@link ErrorCode#UNKNOWN} for a code this version does not know. */
    public ErrorCode codeKind() {
        return ErrorCode.fromWire(code);
    }

    /** The same code with another message. */
    public JobError withMessage(String newMessage) {
        return new JobError(code, newMessage);
    }
}
