package org.planetarymesh.agent.config;

/** A setting of the agent is missing or wrong; the message names the setting, where it came from and what to fix. */
public final class InvalidConfigException extends RuntimeException {
    private final String setting;

    public InvalidConfigException(String setting, String message) {
        super(message);
        this.setting = setting;
    }

    /** The snake_case name of the offending setting, e.g. {@code max_concurrent}. */
    public String setting() {
        return setting;
    }
}
