package org.planetarymesh.store;

import java.time.Instant;

/**
 * Whether the store takes writes, as the {@link GroupCommitWriter} last found it: {@code up}, or down since
 * {@code downSince} with the {@code lastError} of its latest attempt and how many writes wait for it ({@code
 * waitingWrites}, counting the batch being retried).
 */
public record StoreHealth(boolean up, Instant downSince, String lastError, int waitingWrites) {

    static final StoreHealth UP = new StoreHealth(true, null, null, 0);

    /** The store failed again; keeps the moment it first went down. */
    StoreHealth failed(Instant now, Throwable error, int waiting) {
        return new StoreHealth(false, up ? now : downSince, String.valueOf(error.getMessage()), waiting);
    }
}
