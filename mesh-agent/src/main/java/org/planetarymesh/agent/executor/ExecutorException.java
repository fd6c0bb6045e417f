package org.planetarymesh.agent.executor;

/** An execution failed (or was refused) for a reason with a stable code, e.g. {@code invalid_payload}. */
public class ExecutorException extends Exception {
    private final String code;
    private final boolean retryable;

    public ExecutorException(String code, String message, boolean retryable) {
        super(message);
        this.code = code;
        this.retryable = retryable;
    }

    public ExecutorException(String code, String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.retryable = retryable;
    }

    /** A refusal of the payload: code {@code invalid_payload}, not retryable. */
    public static ExecutorException invalidPayload(String message) {
        return new ExecutorException("invalid_payload", message, false);
    }

    /** Stable machine code: {@code invalid_payload}, {@code unsupported}, {@code executor_error}, ... */
    public String code() {
        return code;
    }

    /** Whether another attempt might succeed. */
    public boolean retryable() {
        return retryable;
    }
}
