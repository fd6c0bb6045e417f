package org.planetarymesh.coordinator.gateway;

import java.time.Duration;

/**
 * The heartbeat interval a joining agent is told: {@code base} while the mesh is small, stretched once more than
 * {@code perSecond} agents are connected so the whole mesh sends about {@code perSecond} heartbeats a second (Nomad
 * paces its clients the same way), and never longer than {@link #MAX_STRETCH} times {@code base}. The scheduler
 * scales a node's silence thresholds by its interval, so a paced node is not taken for dead; a closed socket is
 * still noticed at once.
 */
public record HeartbeatPacing(Duration base, int perSecond) {

    /** The longest interval as a multiple of {@code base}: keeps silent-node detection within about a minute. */
    static final int MAX_STRETCH = 10;

    public HeartbeatPacing {
        if (base.isNegative() || base.isZero() || perSecond < 1) {
            throw new IllegalArgumentException(
                    "heartbeat pacing needs a positive interval and rate, got " + base + " and " + perSecond + "/s");
        }
    }

    /** The interval for an agent joining a mesh of {@code agents} connected agents (itself included). */
    public Duration intervalFor(int agents) {
        long paced = agents * 1000L / perSecond;
        long millis = Math.clamp(paced, base.toMillis(), base.toMillis() * MAX_STRETCH);
        return Duration.ofMillis(millis);
    }

    /** The longest interval any agent may be given: sockets must stay open at least this long without a frame. */
    public Duration longest() {
        return base.multipliedBy(MAX_STRETCH);
    }
}
