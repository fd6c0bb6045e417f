package org.planetarymesh.store.market;

/** One side of a movement: {@code amount} credits into (positive) or out of (negative) an account. */
public record Entry(String accountId, long amount) {
    public Entry {
        if (accountId == null || accountId.isBlank()) {
            throw new IllegalArgumentException("an entry needs an account");
        }
        if (amount == 0) {
            throw new IllegalArgumentException("an entry moves a non-zero amount");
        }
    }
}
