package org.planetarymesh.store;

/** One node's stored record of attempt outcomes ({@code node_reputation}); the coordinator derives a score from it. */
public record NodeReputation(String nodeId, long completed, long failed, long timedOut, long invalidReceipts) {}
