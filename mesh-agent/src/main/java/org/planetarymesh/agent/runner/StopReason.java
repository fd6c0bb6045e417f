package org.planetarymesh.agent.runner;

/** Why a running attempt is being stopped, and the failure it is reported as. */
enum StopReason {
    TIMEOUT("timeout", true),
    CANCELLED("cancelled", false),
    BACKPRESSURE("backpressure", true),
    AGENT_STOPPING("agent_stopping", true);

    final String code;
    final boolean retryable;

    StopReason(String code, boolean retryable) {
        this.code = code;
        this.retryable = retryable;
    }
}
