package org.planetarymesh.client;

import java.time.Instant;

/**
 * One coordinator sharing the mesh's store, as {@code GET /v1/coordinators} lists it.
 *
 * @param role {@code leader} (runs the scheduler, takes writes) or {@code standby}
 * @param alive whether it reported itself within the last three leases
 * @param epoch the lease epoch it leads under; null for a standby
 * @param self whether it is the coordinator that answered
 */
public record CoordinatorInfo(
        String id,
        String url,
        String role,
        boolean alive,
        Long epoch,
        Instant startedAt,
        Instant seenAt,
        boolean self) {

    /** Whether this one leads. */
    public boolean leader() {
        return "leader".equals(role);
    }
}
