package org.planetarymesh.coordinator.dashboard;

import static org.planetarymesh.coordinator.dashboard.Html.count;
import static org.planetarymesh.coordinator.dashboard.Html.esc;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.planetarymesh.core.job.Routing;
import org.planetarymesh.core.node.NodeInfo;

/**
 * {@code GET /ui/routing}: where ended jobs went and why, since start: per placement policy, per node (local to the
 * coordinator or in the fleet), the filters that passed nodes over, and the latest decisions with their candidates.
 */
final class RoutingPage {

    private RoutingPage() {}

    static String render(RoutingLog log, Collection<NodeInfo> nodes, Layout.Viewer viewer) {
        Map<String, NodeInfo> byId = new HashMap<>();
        nodes.forEach(n -> byId.put(n.id(), n));
        StringBuilder main = new StringBuilder(16384);
        main.append("<h1>Routing flow</h1><p class=\"muted\">Jobs that ended since the coordinator started: the policy")
                .append(" that placed them, the node that ran them, and why other nodes were passed over.</p>");
        main.append("<div class=\"three-col\">");
        bars(main, "h-policy", "By policy", log.byPolicy(), key -> esc(key));
        bars(main, "h-node", "By node", log.byNode(), key -> {
            NodeInfo node = byId.get(key);
            String where = node == null ? "" : Boolean.TRUE.equals(node.local()) ? " (local)" : " (fleet)";
            return "<span class=\"mono\">" + esc(node == null || node.name() == null ? key : node.name()) + "</span>"
                    + where;
        });
        bars(main, "h-why", "Why nodes were passed over", log.rejections(), key -> esc(key));
        main.append("</div>");
        main.append("<section aria-labelledby=\"h-recent\"><h2 id=\"h-recent\">Latest decisions</h2>")
                .append("<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">job</th>")
                .append("<th scope=\"col\">type</th><th scope=\"col\">scope</th><th scope=\"col\">policy</th>")
                .append("<th scope=\"col\">ran on</th><th scope=\"col\">alternatives</th><th scope=\"col\">")
                .append("status</th></tr></thead><tbody>");
        var recent = log.recent();
        if (recent.isEmpty()) {
            main.append("<tr><td colspan=\"7\" class=\"muted\">No job has ended yet.</td></tr>");
        }
        for (RoutingLog.Decision d : recent) {
            main.append("<tr><td><a class=\"mono\" href=\"/ui/jobs/")
                    .append(esc(d.jobId()))
                    .append("\">")
                    .append(esc(
                            d.jobId().length() > 13
                                    ? "…" + d.jobId().substring(d.jobId().length() - 12)
                                    : d.jobId()))
                    .append("</a></td><td>")
                    .append(esc(d.type()))
                    .append("</td><td>")
                    .append(esc(d.scope()))
                    .append("</td><td>")
                    .append(esc(d.policy()))
                    .append("</td><td class=\"mono ellipsis\">")
                    .append(esc(name(byId, d.node())))
                    .append("</td><td>")
                    .append(alternatives(d, byId))
                    .append("</td><td>")
                    .append(Html.badge(d.status()))
                    .append("</td></tr>");
        }
        main.append("</tbody></table></div></section>");
        return Layout.page("Routing", "routing", viewer, main.toString());
    }

    private static String alternatives(RoutingLog.Decision d, Map<String, NodeInfo> byId) {
        if (d.candidates().isEmpty()) {
            return "<span class=\"muted\">—</span>";
        }
        StringBuilder out = new StringBuilder();
        int shown = 0;
        for (Routing.Candidate c : d.candidates()) {
            if (c.nodeId().equals(d.node()) || shown == 4) {
                continue;
            }
            shown++;
            out.append("<span class=\"tag\">")
                    .append(esc(name(byId, c.nodeId())))
                    .append(": ")
                    .append(c.rejectedBy() != null ? esc(c.rejectedBy()) : "score " + esc(c.score()))
                    .append("</span> ");
        }
        int more = d.candidates().size() - 1 - shown;
        if (more > 0) {
            out.append("<span class=\"muted\">+").append(more).append(" more</span>");
        }
        return shown == 0 ? "<span class=\"muted\">none</span>" : out.toString();
    }

    private static String name(Map<String, NodeInfo> byId, String id) {
        NodeInfo node = id == null ? null : byId.get(id);
        return node != null && node.name() != null ? node.name() : id;
    }

    private static void bars(
            StringBuilder out,
            String id,
            String title,
            Map<String, Long> counts,
            java.util.function.Function<String, String> label) {
        long max = counts.values().stream().mapToLong(Long::longValue).max().orElse(1);
        out.append("<section aria-labelledby=\"")
                .append(id)
                .append("\"><h2 id=\"")
                .append(id)
                .append("\">")
                .append(esc(title))
                .append("</h2>");
        if (counts.isEmpty()) {
            out.append("<p class=\"muted\">Nothing yet.</p></section>");
            return;
        }
        out.append("<ul class=\"bars\">");
        int shown = 0;
        for (var e : counts.entrySet()) {
            if (shown++ == 12) {
                break;
            }
            long pct = Math.max(2, e.getValue() * 100 / Math.max(1, max));
            out.append("<li><span class=\"bar-label\">")
                    .append(label.apply(e.getKey()))
                    .append("</span><span class=\"bar\" style=\"width:")
                    .append(pct)
                    .append("%\"></span><span class=\"num\">")
                    .append(count(e.getValue()))
                    .append("</span></li>");
        }
        out.append("</ul></section>");
    }
}
