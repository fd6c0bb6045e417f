package org.planetarymesh.executor;

/** A setting of an executor is missing or wrong; the agent refuses to start and prints the message. */
public final class InvalidExecutorConfigException extends RuntimeException {
    private final String executor;
    private final String key;

    public InvalidExecutorConfigException(String executor, String key, String message) {
        super(message);
        this.executor = executor;
        this.key = key;
    }

    /** The executor whose setting is wrong. */
    public String executor() {
        return executor;
    }

    /** The setting's key within the executor's section, e.g. {@code algorithm}. */
    public String key() {
        return key;
    }
}
