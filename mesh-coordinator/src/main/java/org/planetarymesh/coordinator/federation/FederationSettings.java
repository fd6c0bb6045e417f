package org.planetarymesh.coordinator.federation;

/**
 * This mesh's policy on jobs another mesh hands it through a peer link (jobs with {@code network} properties).
 *
 * @param acceptForeignJobs whether such jobs are accepted at all (off by default: a mesh runs others' work only when
 *     its operator says so)
 * @param maxHops the most mesh-to-mesh hops a job may have made to be accepted here, whatever its issuer allows
 * @param minReward the least reward a foreign job must offer
 */
public record FederationSettings(boolean acceptForeignJobs, int maxHops, long minReward) {

    /** Foreign jobs refused; when accepted, up to 2 hops, any reward. */
    public static final FederationSettings DEFAULTS = new FederationSettings(false, 2, 0);

    public FederationSettings withAcceptForeignJobs(boolean value) {
        return new FederationSettings(value, maxHops, minReward);
    }

    public FederationSettings withMaxHops(int value) {
        return new FederationSettings(acceptForeignJobs, value, minReward);
    }

    public FederationSettings withMinReward(long value) {
        return new FederationSettings(acceptForeignJobs, maxHops, value);
    }
}
