package org.planetarymesh.coordinator.federation;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import org.planetarymesh.coordinator.api.ApiException;
import org.planetarymesh.core.job.JobSpec;
import org.planetarymesh.core.job.NetworkProps;
import org.planetarymesh.core.job.Requirements;
import org.planetarymesh.core.node.NodeInfo;
import org.planetarymesh.core.node.NodeStatus;

/**
 * Delegation, the receiving side: before this mesh accepts a job another mesh hands it (a spec with {@code network}
 * properties), it checks its own policy, the job's hops, ttl, reward and signature, and that one of its nodes can run
 * it now. A refusal is an answer the sending peer link reads as "route it elsewhere".
 */
public final class ForeignJobPolicy {

    /** The label of a peer link's node (the coordinator's router and the agent's peer mode use the same). */
    static final String PEER_LABEL = "mesh.peer";

    private final FederationSettings settings;

    public ForeignJobPolicy(FederationSettings settings) {
        this.settings = settings;
    }

    /** Throws the refusal for a foreign {@code spec} this mesh will not run; a job from no other mesh always passes. */
    public void check(JobSpec spec, Collection<NodeInfo> nodes, Instant now) {
        NetworkProps network = spec.network();
        if (network == null) {
            return;
        }
        if (!settings.acceptForeignJobs()) {
            throw refused(
                    403,
                    "foreign_job_refused",
                    "this mesh does not accept jobs from other meshes (its operator can allow them with"
                            + " federation_accept_foreign_jobs)");
        }
        if (network.hops() > settings.maxHops()) {
            throw refused(
                    409,
                    "max_hops_exceeded",
                    "network.hops is " + network.hops() + "; this mesh accepts jobs of at most " + settings.maxHops()
                            + " hops (federation_max_hops)");
        }
        if (network.expired(now)) {
            throw refused(
                    409,
                    "ttl_expired",
                    "the job was issued at " + network.issuedAt() + " with ttl_seconds " + network.ttlSeconds()
                            + ", which has passed");
        }
        if (network.reward() < settings.minReward()) {
            throw refused(
                    402,
                    "reward_too_low",
                    "network.reward is " + network.reward() + "; this mesh runs foreign jobs for at least "
                            + settings.minReward() + " (federation_min_reward)");
        }
        if (!network.signedByIssuer(spec.type(), spec.payload(), spec.requirements())) {
            throw refused(
                    403,
                    "invalid_signature",
                    "network.signature is not " + network.issuer() + "'s signature of this job");
        }
        String capacity = capacity(spec, nodes);
        if (capacity != null) {
            throw refused(503, "no_capacity", capacity);
        }
    }

    /** Why no node of this mesh can take the job now, or null when one can. */
    private static String capacity(JobSpec spec, Collection<NodeInfo> nodes) {
        boolean capable = false;
        boolean lastHop = spec.network().hops() >= spec.network().maxHops();
        for (NodeInfo node : nodes) {
            if (node.status() != NodeStatus.HEALTHY || !runs(node, spec)) {
                continue;
            }
            if (lastHop && node.labels().containsKey(PEER_LABEL)) {
                continue; // it could only go on to another mesh, which its hops forbid: a loop ends here
            }
            capable = true;
            if (node.running() < node.maxConcurrent()) {
                return null;
            }
        }
        return capable
                ? "every node of this mesh that can run a " + spec.type() + " job is full"
                : "no node of this mesh can run a " + spec.type() + " job with these requirements"
                        + (lastHop
                                ? " (it made its max hops, " + spec.network().maxHops() + ", so no peer mesh either)"
                                : "");
    }

    private static boolean runs(NodeInfo node, JobSpec spec) {
        boolean type = node.executors().contains(spec.type())
                || node.capabilities().contains(spec.type())
                || node.capabilities().contains("*");
        Requirements need = spec.requirements();
        boolean capabilities = need.capabilities().stream()
                .allMatch(
                        c -> node.capabilities().contains(c) || node.executors().contains(c));
        boolean labels = need.labels().entrySet().stream()
                .allMatch((Map.Entry<String, String> l) ->
                        l.getValue().equals(node.labels().get(l.getKey())));
        return type && capabilities && labels && node.resources().covers(need.resources());
    }

    private static ApiException refused(int status, String code, String message) {
        return new ApiException(status, code, "refused: " + message);
    }
}
