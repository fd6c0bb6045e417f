package org.planetarymesh.store.market;

import java.util.Locale;

/** Why credits moved. */
public enum MovementKind {
    /** An admin created credits (from the issuance account). */
    MINT,
    /** A buyer's payment into escrow. */
    ESCROW,
    /** Escrow released to the seller and the platform fee on completion. */
    RELEASE,
    /** Escrow given back to the buyer (rejected, expired, refunded). */
    REFUND;

    /** Lower-case name as stored and shown. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
