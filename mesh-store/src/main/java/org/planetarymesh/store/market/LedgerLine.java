package org.planetarymesh.store.market;

/** One entry of an account's ledger, with the movement it belongs to. */
public record LedgerLine(
        long seq, String movementKey, String kind, String purchaseId, String memo, long amount, long createdAt) {}
