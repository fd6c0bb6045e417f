package org.planetarymesh.executor;

import java.util.Objects;

/**
 * An execution failed, or a payload was refused, for a reason with a stable {@link ErrorCode}. Thrown from {@link
 * Executor#check} (the job is refused before it starts) or {@link Executor#execute} (the attempt fails).
 */
public class ExecutorException extends Exception {
    private final ErrorCode code;
    private final boolean retryable;

    /** A failure whose retryability is the code's default. */
    public ExecutorException(ErrorCode code, String message) {
        this(code, message, code.retryableByDefault(), null);
    }

    /** A failure that says whether another attempt may succeed. */
    public ExecutorException(ErrorCode code, String message, boolean retryable) {
        this(code, message, retryable, null);
    }

    /** As {@link #ExecutorException(ErrorCode, String, boolean)}, keeping the exception that caused it. */
    public ExecutorException(ErrorCode code, String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
        this.retryable = retryable;
    }

    /** The payload is malformed: {@link ErrorCode#INVALID_PAYLOAD}, not retryable. */
    public static ExecutorException invalidPayload(String message) {
        return new ExecutorException(ErrorCode.INVALID_PAYLOAD, message);
    }

    /** This agent will not run the job, another might: {@link ErrorCode#UNSUPPORTED}. */
    public static ExecutorException unsupported(String message) {
        return new ExecutorException(ErrorCode.UNSUPPORTED, message);
    }

    /** The work failed: {@link ErrorCode#EXECUTOR_ERROR}, with the given retryability. */
    public static ExecutorException failed(String message, boolean retryable) {
        return new ExecutorException(ErrorCode.EXECUTOR_ERROR, message, retryable);
    }

    /** Why it failed. */
    public ErrorCode code() {
        return code;
    }

    /** Whether another attempt might succeed. */
    public boolean retryable() {
        return retryable;
    }
}
