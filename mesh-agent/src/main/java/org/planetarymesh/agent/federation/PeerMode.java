package org.planetarymesh.agent.federation;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.planetarymesh.agent.config.AgentConfig;
import org.planetarymesh.agent.config.InvalidConfigException;
import org.planetarymesh.agent.config.MachineOffer;
import org.planetarymesh.core.job.Resources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an agent into a peer link: a node of this mesh that stands for another whole mesh. It advertises what that
 * mesh's healthy nodes have together (the union of their capabilities, the largest resources of any one of them, the
 * sum of their slots), carries the label {@code mesh.peer} with the mesh's URL, and runs every job it is given with
 * the {@link PeerExecutor}, which hands it over.
 */
public final class PeerMode {
    private static final Logger LOG = LoggerFactory.getLogger(PeerMode.class);

    /** The label naming the mesh behind a peer link; the coordinator routes to such nodes last. */
    public static final String PEER_LABEL = "mesh.peer";

    private static final Duration REACH = Duration.ofSeconds(30);

    private PeerMode() {}

    /** {@code config} as a peer link of {@code peer}'s mesh, whose nodes are read now. */
    public static AgentConfig configure(AgentConfig config, PeerSettings peer) {
        JsonNode nodes = nodesOf(new PeerMeshApi(peer.mesh(), peer.token()));
        Set<String> capabilities = new LinkedHashSet<>();
        double cpu = 0;
        long memoryMb = 0;
        int gpus = 0;
        int slots = 0;
        for (JsonNode node : nodes.path("nodes")) {
            if (!"HEALTHY".equals(node.path("status").asText())) {
                continue;
            }
            node.path("capabilities").forEach(c -> capabilities.add(c.asText()));
            node.path("executors").forEach(c -> capabilities.add(c.asText()));
            JsonNode r = node.path("resources");
            cpu = Math.max(cpu, r.path("cpu").asDouble());
            memoryMb = Math.max(memoryMb, r.path("memory_mb").asLong());
            gpus = Math.max(gpus, r.path("gpus").asInt());
            slots += node.path("max_concurrent").asInt();
        }
        capabilities.remove("*");
        Map<String, String> labels = new LinkedHashMap<>(config.labels());
        labels.put(PEER_LABEL, peer.mesh());
        LOG.info(
                "peer link to {}: advertising capabilities {}, {} slots, resources cpu {} memory {} MB gpus {}",
                peer.mesh(),
                capabilities,
                slots,
                cpu,
                memoryMb,
                gpus);
        return config.toBuilder()
                .capabilities(List.copyOf(capabilities))
                .maxConcurrent(Math.max(1, slots))
                .labels(labels)
                .categories(Map.of())
                .fallback(PeerSettings.EXECUTOR)
                .offer(new MachineOffer(List.of(), null, null, null, new Resources(cpu, memoryMb, gpus)))
                .build();
    }

    private static JsonNode nodesOf(PeerMeshApi api) {
        long until = System.nanoTime() + REACH.toNanos();
        Exception last = null;
        while (System.nanoTime() < until) {
            try {
                return api.nodes();
            } catch (IOException | PeerMeshApi.Refused e) {
                last = e;
                if (e instanceof PeerMeshApi.Refused refused && refused.status == 401) {
                    break;
                }
            }
            try {
                Thread.sleep(500); // waiting for the peer mesh to come up, not synchronising with it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new InvalidConfigException(
                "executors.peer.mesh",
                "cannot read the nodes of the peer mesh at " + api.base() + " (" + last + "); check --peer-mesh and"
                        + " that --peer-token is a token of that mesh");
    }
}
