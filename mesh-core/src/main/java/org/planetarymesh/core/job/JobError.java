package org.planetarymesh.core.job;

/** Why an attempt or a job failed: a stable machine code and a sentence for people. */
public record JobError(String code, String message) {}
