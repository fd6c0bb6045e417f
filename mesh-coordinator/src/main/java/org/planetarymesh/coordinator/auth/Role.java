package org.planetarymesh.coordinator.auth;

import java.util.Locale;

/**
 * What a token may do. {@code admin} may do everything; {@code submit} may submit, read and cancel jobs; {@code read}
 * may only read; {@code agent} may only join as an agent over {@code /v1/agents/connect}.
 */
public enum Role {
    READ,
    SUBMIT,
    ADMIN,
    AGENT;

    /** Whether a token of this role may do what {@code needed} requires. */
    public boolean allows(Role needed) {
        return switch (needed) {
            case READ -> this == READ || this == SUBMIT || this == ADMIN;
            case SUBMIT -> this == SUBMIT || this == ADMIN;
            case ADMIN -> this == ADMIN;
            case AGENT -> this == AGENT || this == ADMIN;
        };
    }

    /** Lower-case name as used in the API and CLI. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The roles that satisfy {@code needed}, for error messages ("needs role submit or admin"). */
    public static String describeNeeded(Role needed) {
        return switch (needed) {
            case READ -> "read, submit or admin";
            case SUBMIT -> "submit or admin";
            case ADMIN -> "admin";
            case AGENT -> "agent or admin";
        };
    }

    /** Parses {@code admin}, {@code submit}, {@code read} or {@code agent} (any case); null if it is none of them. */
    public static Role parse(String value) {
        if (value == null) {
            return null;
        }
        for (Role role : values()) {
            if (role.id().equals(value.strip().toLowerCase(Locale.ROOT))) {
                return role;
            }
        }
        return null;
    }
}
