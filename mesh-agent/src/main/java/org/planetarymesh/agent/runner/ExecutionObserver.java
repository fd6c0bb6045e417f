package org.planetarymesh.agent.runner;

/**
 * Told of every attempt that ended on this agent: which executor ran it and how it ended. Called on the thread that
 * ran the attempt (for an inline executor, the link's), so it must only count.
 */
@FunctionalInterface
public interface ExecutionObserver {

    /** Observes nothing. */
    ExecutionObserver NONE = (executor, outcome) -> {};

    /** {@code executor} finished an attempt as {@code outcome} (its duration included). */
    void finished(String executor, Outcome outcome);
}
