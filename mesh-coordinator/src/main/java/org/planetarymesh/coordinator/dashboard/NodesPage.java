package org.planetarymesh.coordinator.dashboard;

import static org.planetarymesh.coordinator.dashboard.Html.esc;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.planetarymesh.coordinator.auth.Role;
import org.planetarymesh.core.node.NodeInfo;
import org.planetarymesh.core.node.NodeStatus;

/**
 * {@code GET /ui/nodes}: every node the scheduler knows, from memory: status, capabilities, executors, models,
 * resources, labels, load, and drain or undrain buttons for admins. The cards refresh every two seconds (an htmx poll
 * of this page, which reads no store).
 */
final class NodesPage {

    private NodesPage() {}

    static String render(Collection<NodeInfo> nodes, Layout.Viewer viewer) {
        List<NodeInfo> sorted = new ArrayList<>(nodes);
        sorted.sort(Comparator.comparing(NodeInfo::connectedAt, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(NodeInfo::id));
        StringBuilder main = new StringBuilder(8192);
        main.append("<h1>Nodes</h1><p id=\"action-result\" role=\"status\"></p>");
        main.append("<div id=\"nodes\" hx-get=\"/ui/nodes\" hx-trigger=\"every 2s\" hx-select=\"#nodes\"")
                .append(" hx-swap=\"outerHTML\">");
        if (sorted.isEmpty()) {
            main.append("<p class=\"muted\">No node has joined. Start one with <code>./mesh agent --coordinator URL")
                    .append(" --token TOKEN</code>.</p>");
        }
        main.append("<div class=\"node-grid\">");
        for (NodeInfo node : sorted) {
            card(main, node, viewer);
        }
        main.append("</div></div>");
        return Layout.page("Nodes", "nodes", viewer, main.toString());
    }

    private static void card(StringBuilder out, NodeInfo node, Layout.Viewer viewer) {
        int max = Math.max(node.maxConcurrent(), 1);
        out.append("<article class=\"node\" aria-labelledby=\"n-")
                .append(esc(slug(node.id())))
                .append("\"><header><h2 id=\"n-")
                .append(esc(slug(node.id())))
                .append("\">")
                .append(esc(node.name() == null ? node.id() : node.name()))
                .append("</h2> ")
                .append(Html.badge(node.status()))
                .append(Boolean.TRUE.equals(node.local()) ? " <span class=\"tag\">local</span>" : "")
                .append("</header><p class=\"mono ellipsis small\" title=\"")
                .append(esc(node.id()))
                .append("\">")
                .append(esc(node.id()))
                .append("</p><dl class=\"kv\"><dt>mode</dt><dd>")
                .append(esc(node.mode()))
                .append(node.address() == null ? "" : " · " + esc(node.address()))
                .append("</dd><dt>load</dt><dd><meter min=\"0\" max=\"")
                .append(max)
                .append("\" value=\"")
                .append(node.running())
                .append("\" aria-label=\"running jobs\"></meter> ")
                .append(node.running())
                .append(" / ")
                .append(node.maxConcurrent())
                .append(" running</dd><dt>executors</dt><dd>")
                .append(Html.list(node.executors()))
                .append("</dd><dt>capabilities</dt><dd>")
                .append(Html.list(node.capabilities()))
                .append("</dd><dt>models</dt><dd>")
                .append(Html.list(node.models()))
                .append("</dd><dt>resources</dt><dd>");
        if (node.resources() == null) {
            out.append("<span class=\"muted\">—</span>");
        } else {
            out.append(esc(String.format(
                    Locale.ROOT,
                    "%s CPU · %,d MB · %d GPU",
                    trim(node.resources().cpu()),
                    node.resources().memoryMb(),
                    node.resources().gpus())));
        }
        out.append("</dd><dt>labels</dt><dd>")
                .append(Html.list(
                        node.labels() == null
                                ? List.of()
                                : node.labels().entrySet().stream()
                                        .map(e -> e.getKey() + "=" + e.getValue())
                                        .toList()))
                .append("</dd><dt>heartbeat</dt><dd>")
                .append(Html.time(node.lastHeartbeatAt()))
                .append("</dd></dl>");
        boolean draining = node.status() == NodeStatus.DRAINING;
        if (node.status() == NodeStatus.HEALTHY || node.status() == NodeStatus.SUSPECT || draining) {
            String action = draining ? "undrain" : "drain";
            String label = draining ? "Undrain" : "Drain";
            out.append("<button type=\"button\" data-post=\"/v1/nodes/")
                    .append(esc(node.id()))
                    .append("/")
                    .append(action)
                    .append("\"")
                    .append(
                            draining
                                    ? ""
                                    : " data-confirm=\"Drain this node? It finishes its jobs and takes no new ones.\"")
                    .append(" aria-label=\"")
                    .append(label)
                    .append(" ")
                    .append(esc(node.name() == null ? node.id() : node.name()))
                    .append("\"");
            if (!viewer.may(Role.ADMIN)) {
                out.append(" disabled title=\"").append(action).append("ing needs an admin token\"");
            }
            out.append(">").append(label).append("</button>");
        }
        out.append("</article>");
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    private static String slug(String id) {
        return id.replaceAll("[^A-Za-z0-9_-]", "-");
    }
}
