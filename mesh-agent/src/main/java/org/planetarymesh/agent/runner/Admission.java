package org.planetarymesh.agent.runner;

import org.planetarymesh.core.job.ErrorCode;

/** The runner's answer to a new attempt: started, or refused before starting. */
public sealed interface Admission {

    /** Started with {@code executor}, chosen by the router's {@code routeRule}. */
    record Accepted(String executor, String routeRule) implements Admission {}

    /** This attempt already runs here: a repeated assignment is acknowledged again, never run twice. */
    record AlreadyRunning() implements Admission {}

    /** Not started: {@code out_of_capacity}, {@code unsupported}, {@code invalid_payload}, ... */
    record Rejected(ErrorCode code, String message) implements Admission {}
}
