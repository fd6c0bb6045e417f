package org.planetarymesh.agent.executor.builtin;

import org.planetarymesh.executor.ExecutionContext;
import org.planetarymesh.executor.ExecutionRequest;
import org.planetarymesh.executor.ExecutionResult;
import org.planetarymesh.executor.Executor;

/** {@code echo}: the result is the payload. */
public final class EchoExecutor implements Executor {
    @Override
    public String name() {
        return "echo";
    }

    /** Echo copies a reference: a thread and a timer per job would cost far more than the job. */
    @Override
    public boolean runsInline() {
        return true;
    }

    @Override
    public ExecutionResult execute(ExecutionRequest request, ExecutionContext context) {
        return ExecutionResult.of(request.payload());
    }
}
