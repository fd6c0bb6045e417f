package org.planetarymesh.coordinator.auction;

import org.planetarymesh.core.job.Resources;

/** A bid the auction took in: who offered what, in which round. */
public record Offer(String nodeId, int round, long price, long etaMs, int freeSlots, Resources resources) {}
