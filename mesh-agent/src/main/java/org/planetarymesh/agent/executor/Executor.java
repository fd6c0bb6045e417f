package org.planetarymesh.agent.executor;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Runs one kind of job. Implementations are found with {@link java.util.ServiceLoader}: put a jar with the class and a
 * {@code META-INF/services/org.planetarymesh.agent.executor.Executor} file on the agent's classpath and its
 * {@link #name()} becomes a job type. {@link #execute} runs on its own virtual thread (unless {@link #runsInline()});
 * it should return promptly once {@link ExecutionContext#cancelled()} turns true or the thread is interrupted.
 */
public interface Executor {

    /** The job type this executor answers to, e.g. {@code echo}. */
    String name();

    /**
     * Refuses a payload this agent will not run, before the job is accepted; the default accepts everything.
     *
     * @throws ExecutorException with code {@code invalid_payload} or {@code unsupported} and a message saying what to
     *     fix
     */
    default void check(JsonNode payload) throws ExecutorException {}

    /**
     * Whether {@link #execute} only computes on the payload and returns at once, never blocking or waiting: then the
     * runner calls it on the thread that received the assignment, with no thread of its own and no deadline timer,
     * and its result leaves in the same frame as the other replies to that frame. The default is {@code false}; say
     * {@code true} only for work measured in microseconds, as it holds up the agent's link while it runs.
     */
    default boolean runsInline() {
        return false;
    }

    /** Runs the job and returns its result, or throws ({@link ExecutorException} for a failure with a stable code). */
    ExecutionResult execute(ExecutionRequest request, ExecutionContext context) throws Exception;
}
