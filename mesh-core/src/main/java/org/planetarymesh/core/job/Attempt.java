package org.planetarymesh.core.job;

import java.time.Instant;

/** One try at running a job: where, when, and how it ended (null outcome while it runs). */
public record Attempt(
        int number, String nodeId, Instant startedAt, Instant finishedAt, String outcome, JobError error) {}
