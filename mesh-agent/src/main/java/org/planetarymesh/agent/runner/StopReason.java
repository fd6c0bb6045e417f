package org.planetarymesh.agent.runner;

import org.planetarymesh.core.job.ErrorCode;

/** Why a running attempt is being stopped, and the failure it is reported as. */
enum StopReason {
    TIMEOUT(ErrorCode.TIMEOUT, true),
    CANCELLED(ErrorCode.CANCELLED, false),
    BACKPRESSURE(ErrorCode.BACKPRESSURE, true),
    AGENT_STOPPING(ErrorCode.AGENT_STOPPING, true);

    final ErrorCode code;
    final boolean retryable;

    StopReason(ErrorCode code, boolean retryable) {
        this.code = code;
        this.retryable = retryable;
    }
}
