package org.planetarymesh.cli;

import java.time.Instant;
import java.util.List;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.core.node.NodeInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code mesh nodes}: the nodes the coordinator knows, as a table. */
@Command(name = "nodes", description = "List the nodes the coordinator knows.")
public final class NodesCommand extends ClientCommand {

    @Mixin
    OutputOption output;

    @Override
    protected int run(MeshClient client) {
        if (output.json()) {
            printJson(client.getJson("/v1/nodes"));
            return 0;
        }
        List<NodeInfo> nodes = client.nodes();
        out().print(nodes.isEmpty() ? "No nodes.\n" : table(nodes, Instant.now()));
        out().flush();
        return 0;
    }

    /** The nodes table: ID, NAME, STATUS, MODE, RUNNING, CAPABILITIES, SEEN. */
    static String table(List<NodeInfo> nodes, Instant now) {
        Table table = new Table("ID", "NAME", "STATUS", "MODE", "RUNNING", "CAPABILITIES", "SEEN");
        for (NodeInfo node : nodes) {
            Instant seen = node.lastHeartbeatAt() != null ? node.lastHeartbeatAt() : node.connectedAt();
            table.row(
                    Cells.node(node.id()),
                    node.name(),
                    node.status(),
                    node.mode(),
                    node.running() + "/" + node.maxConcurrent(),
                    node.capabilities().isEmpty() ? null : String.join(",", node.capabilities()),
                    seen == null ? null : Cells.age(seen, now) + " ago");
        }
        return table.render();
    }
}
