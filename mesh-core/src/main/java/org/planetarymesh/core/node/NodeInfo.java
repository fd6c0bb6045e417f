package org.planetarymesh.core.node;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.planetarymesh.core.job.Resources;

/**
 * A node as the coordinator reports it through {@code GET /v1/nodes}: identity, what it offers, how busy and how
 * healthy it is. {@code mode} is {@code websocket} for agents that dialled in, {@code push} for nodes registered by
 * address that the coordinator calls on {@code POST /execute}. {@code local} says the node is the coordinator's own
 * (its key is one the operator named, or the embedded agent of {@code mesh up}), so it may take scope-LOCAL jobs.
 * {@code modelStates}, {@code maxInference}, {@code queueDepth} and {@code tokensPerSecond} are what the node last
 * advertised for inference (see {@code Message.Hello}).
 */
public record NodeInfo(
        String id,
        String name,
        String mode,
        String address,
        NodeStatus status,
        List<String> capabilities,
        List<String> executors,
        List<String> models,
        int maxConcurrent,
        int running,
        Resources resources,
        Map<String, String> labels,
        Instant connectedAt,
        Instant lastHeartbeatAt,
        Boolean local,
        List<ModelState> modelStates,
        Integer maxInference,
        Integer queueDepth,
        Double tokensPerSecond) {

    /** A node that advertised nothing for inference. */
    public NodeInfo(
            String id,
            String name,
            String mode,
            String address,
            NodeStatus status,
            List<String> capabilities,
            List<String> executors,
            List<String> models,
            int maxConcurrent,
            int running,
            Resources resources,
            Map<String, String> labels,
            Instant connectedAt,
            Instant lastHeartbeatAt,
            Boolean local) {
        this(
                id,
                name,
                mode,
                address,
                status,
                capabilities,
                executors,
                models,
                maxConcurrent,
                running,
                resources,
                labels,
                connectedAt,
                lastHeartbeatAt,
                local,
                List.of(),
                0,
                0,
                0.0);
    }

    public NodeInfo {
        modelStates = modelStates == null ? List.of() : List.copyOf(modelStates);
        capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
        executors = executors == null ? List.of() : List.copyOf(executors);
        models = models == null ? List.of() : List.copyOf(models);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        resources = resources == null ? Resources.NONE : resources;
        local = Boolean.TRUE.equals(local); // absent from older coordinators' answers
        // Absent from the answers of coordinators that predate inference (boxed so that reading them does not fail).
        maxInference = maxInference == null ? 0 : maxInference;
        queueDepth = queueDepth == null ? 0 : queueDepth;
        tokensPerSecond = tokensPerSecond == null ? 0.0 : tokensPerSecond;
    }
}
