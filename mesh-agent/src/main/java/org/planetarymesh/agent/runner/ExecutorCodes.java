package org.planetarymesh.agent.runner;

import org.planetarymesh.core.job.ErrorCode;

/**
 * The one place that translates the executor API's error codes into the protocol's. Plugins build on {@code
 * mesh-executor-api}, which cannot depend on core, so the two enums are separate; they share wire names, and each
 * executor code maps to the protocol code of the same name (a test checks that every one has such a code).
 */
final class ExecutorCodes {

    private static final ErrorCode[] BY_ORDINAL = mapByWireName();

    private ExecutorCodes() {}

    /** The protocol's code for an executor's {@code code}. */
    static ErrorCode onWire(org.planetarymesh.executor.ErrorCode code) {
        return BY_ORDINAL[code.ordinal()];
    }

    private static ErrorCode[] mapByWireName() {
        org.planetarymesh.executor.ErrorCode[] codes = org.planetarymesh.executor.ErrorCode.values();
        ErrorCode[] mapped = new ErrorCode[codes.length];
        for (org.planetarymesh.executor.ErrorCode code : codes) {
            mapped[code.ordinal()] = ErrorCode.fromWire(code.wireName());
        }
        return mapped;
    }
}
