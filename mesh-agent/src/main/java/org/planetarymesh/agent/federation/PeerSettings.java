package org.planetarymesh.agent.federation;

import java.util.Map;
import org.planetarymesh.agent.config.InvalidConfigException;
import org.planetarymesh.executor.ExecutorConfig;

/**
 * A peer link's settings, the {@code peer} executor's ({@code --peer-mesh}, {@code --peer-token}, or
 * {@code executors.peer.*}): the mesh behind this node and how the jobs it hands over travel.
 *
 * @param mesh base URL of the mesh this link hands jobs to (its coordinator)
 * @param token a token of that mesh with role submit (or admin)
 * @param maxHops the most mesh-to-mesh hops a job starting here may make
 * @param ttlSeconds how long a handed-over job stays valid
 * @param reward credits offered to the mesh behind for each job
 */
public record PeerSettings(String mesh, String token, int maxHops, long ttlSeconds, long reward) {

    /** The executor-settings name of the peer executor, whose presence turns an agent into a peer link. */
    public static final String EXECUTOR = "peer";

    static final String[] KEYS = {"mesh", "token", "max_hops", "ttl_seconds", "reward"};

    /** The peer settings among an agent's executor settings, or null when the agent is no peer link. */
    public static PeerSettings of(Map<String, Map<String, ExecutorConfig.Setting>> executorSettings) {
        Map<String, ExecutorConfig.Setting> values = executorSettings.get(EXECUTOR);
        if (values == null) {
            return null;
        }
        ExecutorConfig config = new ExecutorConfig(
                EXECUTOR,
                values,
                java.nio.file.Path.of("."),
                (key, example) -> "--executor-setting peer." + key + "=" + example);
        try {
            config.allowOnly(KEYS);
        } catch (RuntimeException e) {
            throw new InvalidConfigException("executors.peer", e.getMessage());
        }
        String mesh = config.string("mesh")
                .orElseThrow(() -> new InvalidConfigException(
                        "executors.peer.mesh", "a peer link needs the URL of the mesh behind it: --peer-mesh URL"));
        String token = config.string("token")
                .orElseThrow(() -> new InvalidConfigException(
                        "executors.peer.token",
                        "a peer link needs a token of the mesh behind it with role submit: --peer-token TOKEN"));
        int maxHops = (int) config.number("max_hops", 2);
        if (maxHops < 1 || maxHops > 16) {
            throw new InvalidConfigException("executors.peer.max_hops", "executors.peer.max_hops: must be 1-16");
        }
        long ttl = config.number("ttl_seconds", 3600);
        if (ttl < 1) {
            throw new InvalidConfigException("executors.peer.ttl_seconds", "executors.peer.ttl_seconds: must be >= 1");
        }
        long reward = config.number("reward", 0);
        return new PeerSettings(mesh.replaceAll("/+$", ""), token, maxHops, ttl, Math.max(0, reward));
    }
}
