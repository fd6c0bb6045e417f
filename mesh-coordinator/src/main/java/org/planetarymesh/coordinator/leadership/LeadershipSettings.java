package org.planetarymesh.coordinator.leadership;

import java.time.Duration;

/**
 * How coordinators sharing one PostgreSQL database choose their leader.
 *
 * @param lease how long the leader's renewals may stand still before a standby takes over; the leader renews three
 *     times per lease. Shorter means faster takeovers and more false ones on a slow database.
 * @param advertiseUrl the URL other coordinators, clients and agents reach this coordinator at (what a standby
 *     redirects to and {@code mesh coordinators} lists); null means the URL it listens on
 */
public record LeadershipSettings(Duration lease, String advertiseUrl) {

    /** Default {@link #lease}: 3 s, so a takeover completes within the 5 s target. */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(3);

    public static final LeadershipSettings DEFAULTS = new LeadershipSettings(DEFAULT_LEASE, null);

    public LeadershipSettings {
        lease = lease == null ? DEFAULT_LEASE : lease;
        if (lease.toMillis() < 300) {
            throw new IllegalArgumentException("lease must be at least 300 ms, was " + lease.toMillis() + " ms");
        }
        advertiseUrl = advertiseUrl == null || advertiseUrl.isBlank() ? null : advertiseUrl.replaceAll("/+$", "");
    }

    /** How often the leader renews. */
    Duration renewEvery() {
        return lease.dividedBy(3);
    }

    /** How often a standby looks at the lease: a takeover comes at most this much after a whole lease of silence. */
    Duration lookEvery() {
        return lease.dividedBy(10);
    }
}
