package org.planetarymesh.coordinator.leadership;

/** What a coordinator is right now: the one that schedules and writes, or one waiting to take over. */
public enum CoordinatorRole {
    LEADER,
    STANDBY;

    /** The lower-case name the API and metrics use. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
