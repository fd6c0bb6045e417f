package org.planetarymesh.coordinator.openai;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.planetarymesh.coordinator.api.ApiException;
import org.planetarymesh.core.node.ModelState;
import org.planetarymesh.core.node.NodeInfo;
import org.planetarymesh.core.node.NodeStatus;

/**
 * The models the mesh serves now: every model a healthy node advertises, with the nodes that serve it, whether each
 * has it loaded and through which backend. What {@code GET /v1/models} lists and what a chat request is checked
 * against.
 */
final class ModelCatalog {

    /** One node serving a model. */
    record Server(String nodeId, String nodeName, boolean loaded, String backend, boolean full) {}

    private final Map<String, List<Server>> servers;
    private final Map<String, Long> created;

    private ModelCatalog(Map<String, List<Server>> servers, Map<String, Long> created) {
        this.servers = servers;
        this.created = created;
    }

    static ModelCatalog of(Collection<NodeInfo> nodes) {
        Map<String, List<Server>> servers = new TreeMap<>();
        Map<String, Long> created = new TreeMap<>();
        for (NodeInfo node : nodes) {
            if (node.status() != NodeStatus.HEALTHY) {
                continue;
            }
            boolean full = node.running() >= node.maxConcurrent();
            for (ModelState model : served(node)) {
                servers.computeIfAbsent(model.id(), id -> new ArrayList<>())
                        .add(new Server(node.id(), node.name(), model.loaded(), model.backend(), full));
                long since = node.connectedAt() == null ? 0 : node.connectedAt().getEpochSecond();
                created.merge(model.id(), since, Math::min);
            }
        }
        return new ModelCatalog(servers, created);
    }

    /**
     * What {@code node} serves: its model states when it sends them (they change as its backends do), else the
     * models of its hello, whose load state it did not say.
     */
    static List<ModelState> served(NodeInfo node) {
        if (!node.modelStates().isEmpty()) {
            return node.modelStates();
        }
        return node.models().stream().map(id -> new ModelState(id, false, null)).toList();
    }

    /** 404 if no healthy node serves {@code model}, 429 if every one that does is full. */
    void requireRoomFor(String model) {
        List<Server> serving = servers.get(model);
        if (serving == null) {
            throw new ApiException(
                    404,
                    "model_not_found",
                    "The model '" + model + "' does not exist on this mesh: no healthy node serves it. GET /v1/models"
                            + " lists the models it serves"
                            + (servers.isEmpty() ? " (none now)" : ": " + servers.keySet()),
                    List.of(Map.of("field", "model", "message", "no healthy node serves it")));
        }
        if (serving.stream().allMatch(Server::full)) {
            throw new ApiException(
                    429,
                    "out_of_capacity",
                    "every node serving '" + model + "' is busy (" + serving.size() + " node(s), all slots taken);"
                            + " retry shortly");
        }
    }

    /** OpenAI's model list, each model with {@code served_by}: the nodes serving it. */
    Map<String, Object> list() {
        List<Map<String, Object>> data = new ArrayList<>();
        servers.forEach((id, serving) -> {
            Map<String, Object> model = new LinkedHashMap<>();
            model.put("id", id);
            model.put("object", "model");
            model.put("created", created.getOrDefault(id, 0L));
            model.put("owned_by", "planetary-mesh");
            List<Map<String, Object>> by = new ArrayList<>();
            for (Server s : serving) {
                Map<String, Object> server = new LinkedHashMap<>();
                server.put("node_id", s.nodeId());
                server.put("node_name", s.nodeName());
                server.put("loaded", s.loaded());
                server.put("backend", s.backend());
                by.add(server);
            }
            model.put("served_by", by);
            data.add(model);
        });
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("object", "list");
        list.put("data", data);
        return list;
    }
}
