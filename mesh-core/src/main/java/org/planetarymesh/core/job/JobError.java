package org.planetarymesh.core.job;

/** Why an attempt or a job failed: a stable machine code (seed 004's names) and a sentence for people. */
public record JobError(String code, String message) {}
