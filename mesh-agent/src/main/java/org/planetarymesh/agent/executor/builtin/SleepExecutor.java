package org.planetarymesh.agent.executor.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.executor.ExecutionContext;
import org.planetarymesh.executor.ExecutionRequest;
import org.planetarymesh.executor.ExecutionResult;
import org.planetarymesh.executor.Executor;
import org.planetarymesh.executor.ExecutorException;

/** {@code sleep}: waits {@code {"ms": N}} milliseconds, reporting progress; ends early when stopped. */
public final class SleepExecutor implements Executor {
    private static final long MAX_MS = 7L * 24 * 3600 * 1000;

    @Override
    public String name() {
        return "sleep";
    }

    @Override
    public void check(JsonNode payload) throws ExecutorException {
        millis(payload);
    }

    private static long millis(JsonNode payload) throws ExecutorException {
        JsonNode ms = payload == null ? null : payload.get("ms");
        if (ms == null || !ms.canConvertToLong() || ms.asLong() < 0 || ms.asLong() > MAX_MS) {
            throw ExecutorException.invalidPayload("sleep needs {\"ms\": N} with 0 <= N <= " + MAX_MS);
        }
        return ms.asLong();
    }

    @Override
    public ExecutionResult execute(ExecutionRequest request, ExecutionContext context) throws Exception {
        long ms = millis(request.payload());
        long start = System.nanoTime();
        long step = Math.max(50, ms / 10);
        // Bounded: one iteration per step of at most ms/10, and interruption ends it.
        for (long elapsed = 0; elapsed < ms; elapsed = (System.nanoTime() - start) / 1_000_000) {
            Thread.sleep(Math.min(step, ms - elapsed));
            context.progress(Math.min(1.0, (double) ((System.nanoTime() - start) / 1_000_000) / Math.max(1, ms)), null);
        }
        return ExecutionResult.of(Json.mapper().createObjectNode().put("slept_ms", ms));
    }
}
