package org.planetarymesh.coordinator.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.planetarymesh.coordinator.CoordinatorConfig;
import org.planetarymesh.coordinator.gateway.PushNodes;
import org.planetarymesh.coordinator.scheduler.NodeAdminOutcome;
import org.planetarymesh.coordinator.scheduler.Scheduler;
import org.planetarymesh.core.node.NodeInfo;

/** {@code /v1/nodes}: list and show nodes, register push-mode nodes, drain, undrain and remove a node. */
final class NodesApi {

    private final CoordinatorConfig config;
    private final Scheduler scheduler;
    private final PushNodes pushNodes;

    NodesApi(CoordinatorConfig config, Scheduler scheduler, PushNodes pushNodes) {
        this.config = config;
        this.scheduler = scheduler;
        this.pushNodes = pushNodes;
    }

    void list(Context ctx) {
        List<NodeInfo> nodes = new ArrayList<>(scheduler.nodes());
        nodes.sort(Comparator.comparing(NodeInfo::connectedAt).thenComparing(NodeInfo::id));
        Http.json(ctx, 200, Map.of("nodes", nodes));
    }

    void get(Context ctx) {
        String id = ctx.pathParam("id");
        Http.json(ctx, 200, scheduler.node(id).orElseThrow(() -> ApiException.notFound("no node with id " + id)));
    }

    void register(Context ctx) {
        JsonNode body = Http.jsonBody(ctx, config.maxBodyBytes());
        if (!body.isObject()) {
            throw new ApiException(
                    422, "invalid_node", "send {\"name\", \"address\", \"capabilities\", \"max_concurrent\"}");
        }
        List<String> capabilities = new ArrayList<>();
        JsonNode caps = body.path("capabilities");
        if (!caps.isMissingNode() && !caps.isArray()) {
            throw new ApiException(422, "invalid_node", "capabilities must be an array of strings");
        }
        caps.forEach(c -> capabilities.add(c.asText()));
        JsonNode max = body.path("max_concurrent");
        if (!max.isMissingNode() && !max.isIntegralNumber()) {
            throw new ApiException(422, "invalid_node", "max_concurrent must be an integer");
        }
        JsonNode token = body.path("token");
        if (!token.isMissingNode() && !token.isTextual()) {
            throw new ApiException(
                    422, "invalid_node", "token must be a string: the node's execute token, sent as a bearer token");
        }
        try {
            String id = pushNodes.register(new PushNodes.Registration(
                    body.path("name").asText(null),
                    body.path("address").asText(null),
                    capabilities.isEmpty() ? null : capabilities,
                    max.isMissingNode() ? 4 : max.asInt(),
                    token.asText(null)));
            // The scheduler learns of the node on its own thread; a task queued behind that event sees it there.
            scheduler.await(() -> {});
            ctx.header("Location", "/v1/nodes/" + id);
            Http.json(ctx, 201, scheduler.node(id).map(Object.class::cast).orElse(Map.of("id", id)));
        } catch (IllegalArgumentException e) {
            throw new ApiException(422, "invalid_node", e.getMessage());
        }
    }

    void undrain(Context ctx) {
        String id = ctx.pathParam("id");
        switch (scheduler.undrain(id).join()) {
            case NodeAdminOutcome.Done d -> Http.json(ctx, 200, d.node());
            case NodeAdminOutcome.Refused r -> throw new ApiException(409, "invalid_node_state", r.why());
            case NodeAdminOutcome.NotFound n -> throw ApiException.notFound("no node with id " + id);
        }
    }

    void remove(Context ctx) {
        String id = ctx.pathParam("id");
        switch (scheduler.removeNode(id).join()) {
            case NodeAdminOutcome.Done d -> {
                pushNodes.unregister(id);
                ctx.status(204);
            }
            case NodeAdminOutcome.Refused r -> throw new ApiException(409, "invalid_node_state", r.why());
            case NodeAdminOutcome.NotFound n -> throw ApiException.notFound("no node with id " + id);
        }
    }

    void drain(Context ctx) {
        String id = ctx.pathParam("id");
        scheduler.node(id).orElseThrow(() -> ApiException.notFound("no node with id " + id));
        scheduler.drain(id);
        Http.json(ctx, 202, Map.of("id", id, "draining", true));
    }
}
