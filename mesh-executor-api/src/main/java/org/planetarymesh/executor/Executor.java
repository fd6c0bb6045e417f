package org.planetarymesh.executor;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Runs one kind of job: its {@link #name()} becomes a job type the agent advertises. Executors are found with
 * {@link java.util.ServiceLoader}: a jar holding the class and a file
 * {@code META-INF/services/org.planetarymesh.executor.Executor} naming it, dropped in the agent's plugins directory
 * ({@code mesh agent --plugins DIR}). The class needs a public no-argument constructor.
 *
 * <p>Lifecycle, each step once: {@link #configure} with the executor's settings, {@link #start} before the agent
 * takes jobs, then {@link #check} and {@link #execute} for every job (from many threads at once), and {@link #close}
 * when the agent stops, after its jobs ended. {@link #execute} runs on a virtual thread of its own unless
 * {@link #runsInline()}; it should return soon once {@link ExecutionContext#cancelled()} turns true or its thread is
 * interrupted.
 */
public interface Executor extends AutoCloseable {

    /** The job type this executor answers to, e.g. {@code echo}; letters, digits, {@code .-_}. */
    String name();

    /**
     * Reads the executor's settings; called once, before {@link #start}. The default accepts no settings at all, so a
     * setting given to an executor that reads none fails the agent's start instead of being ignored.
     *
     * @throws InvalidExecutorConfigException (see {@link ExecutorConfig#invalid}) for a wrong or unknown setting
     */
    default void configure(ExecutorConfig config) {
        config.allowOnly();
    }

    /**
     * Acquires what the executor needs (a connection pool, a loaded model) before the agent takes jobs; a failure
     * stops the agent's start with the exception's message.
     */
    default void start() throws Exception {}

    /**
     * Refuses a payload this agent will not run, before the job is accepted; the default accepts everything. Must be
     * cheap: it runs on the thread that received the assignment. {@code payload} is never {@code null} (a job without
     * one has JSON null).
     *
     * @throws ExecutorException {@link ErrorCode#INVALID_PAYLOAD} (no node would run it) or {@link
     *     ErrorCode#UNSUPPORTED} (this agent will not; another might), with a message saying what to fix
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

    /**
     * Runs one attempt and returns its result. A failure with a stable code is an {@link ExecutorException}; any other
     * exception fails the attempt as {@link ErrorCode#EXECUTOR_ERROR} (retryable) with its message.
     */
    ExecutionResult execute(ExecutionRequest request, ExecutionContext context) throws Exception;

    /** Releases what {@link #start} acquired; called once when the agent stops. The default does nothing. */
    @Override
    default void close() throws Exception {}
}
