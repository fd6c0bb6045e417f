package org.planetarymesh.agent.runner;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.planetarymesh.core.job.ErrorCode;

/** Every code an executor can raise reaches the coordinator under the protocol code of the same name. */
class ExecutorCodesTest {

    @Test
    void everyExecutorCodeHasTheProtocolCodeOfItsName() {
        for (org.planetarymesh.executor.ErrorCode code : org.planetarymesh.executor.ErrorCode.values()) {
            ErrorCode onWire = ExecutorCodes.onWire(code);
            assertThat(onWire).as(code.name()).isNotSameAs(ErrorCode.UNKNOWN);
            assertThat(onWire.wireName()).isEqualTo(code.wireName());
        }
    }
}
