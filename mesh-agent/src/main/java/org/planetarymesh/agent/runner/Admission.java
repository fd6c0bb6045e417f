package org.planetarymesh.agent.runner;

/** The runner's answer to a new attempt: started, or refused before starting. */
public sealed interface Admission {

    /** Started (or already running: a repeated assignment is acknowledged, not run twice). */
    record Accepted(String executor, String routeRule) implements Admission {}

    /** Not started: {@code out_of_capacity}, {@code unsupported}, {@code invalid_payload}, ... */
    record Rejected(String code, String message) implements Admission {}
}
