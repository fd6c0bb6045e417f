package org.planetarymesh.store.market;

/** An account's current balance in credits; {@code kind} is user, escrow, fee or issuance. */
public record Account(String id, String kind, long balance, long createdAt) {}
