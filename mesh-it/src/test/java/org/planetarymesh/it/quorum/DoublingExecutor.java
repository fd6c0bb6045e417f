package org.planetarymesh.it.quorum;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.planetarymesh.executor.ErrorCode;
import org.planetarymesh.executor.ExecutionContext;
import org.planetarymesh.executor.ExecutionRequest;
import org.planetarymesh.executor.ExecutionResult;
import org.planetarymesh.executor.Executor;
import org.planetarymesh.executor.ExecutorConfig;
import org.planetarymesh.executor.ExecutorException;

/**
 * A test-only executor plugin (job type {@code double}): answers {@code {"value": 2n}} for the payload {@code {"n":
 * n}}, deterministic on an honest agent. With the setting {@code lie = L} (not 0) it is a lying node: it answers
 * {@code 2n + L}, a wrong output that only comparing replicas can catch; {@code delay_ms} makes it a slow node. Packed into a plugin jar by {@link
 * LyingPlugin} and loaded by real agents from their plugins directory.
 */
public final class DoublingExecutor implements Executor {

    private long lie;
    private long delayMs;

    @Override
    public String name() {
        return "double";
    }

    @Override
    public void configure(ExecutorConfig config) {
        config.allowOnly("lie", "delay_ms");
        lie = config.number("lie", 0);
        delayMs = config.number("delay_ms", 0);
    }

    @Override
    public void check(JsonNode payload) throws ExecutorException {
        if (!payload.path("n").canConvertToLong()) {
            throw new ExecutorException(ErrorCode.INVALID_PAYLOAD, "double needs {\"n\": integer}");
        }
    }

    @Override
    public ExecutionResult execute(ExecutionRequest request, ExecutionContext context) throws InterruptedException {
        Thread.sleep(delayMs); // a slow node (setting delay_ms), so a test can act while its replica runs
        long n = request.payload().path("n").asLong();
        return ExecutionResult.of(JsonNodeFactory.instance.objectNode().put("value", 2 * n + lie));
    }
}
