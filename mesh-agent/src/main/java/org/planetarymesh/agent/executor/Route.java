package org.planetarymesh.agent.executor;

import org.planetarymesh.executor.Executor;

/** The executor a job type resolved to and the rule that chose it. */
public record Route(Executor executor, RouteRule rule) {}
