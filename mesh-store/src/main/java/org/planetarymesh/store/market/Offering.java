package org.planetarymesh.store.market;

/**
 * What a seller (a node's did:key) sells: jobs of one capability at a fixed price, accepted at once or by hand (within
 * {@code acceptWindowMs}, else the purchase expires and is refunded), with
 * the statistics the settlement service keeps (jobs sold, completed, disputed, total latency of completed ones).
 */
public record Offering(
        String id,
        String seller,
        String capability,
        long price,
        long maxLatencyMs,
        boolean autoAccept,
        long acceptWindowMs,
        String description,
        long createdAt,
        Long withdrawnAt,
        long sold,
        long completed,
        long disputed,
        long latencyTotalMs) {

    /** A new offering without statistics. */
    public static Offering of(
            String id,
            String seller,
            String capability,
            long price,
            long maxLatencyMs,
            boolean autoAccept,
            long acceptWindowMs,
            String description,
            long createdAt) {
        return new Offering(
                id,
                seller,
                capability,
                price,
                maxLatencyMs,
                autoAccept,
                acceptWindowMs,
                description,
                createdAt,
                null,
                0,
                0,
                0,
                0);
    }

    /** Mean milliseconds from acceptance to completion, or null before the first completion. */
    public Long meanLatencyMs() {
        return completed == 0 ? null : latencyTotalMs / completed;
    }
}
