package org.planetarymesh.coordinator.dashboard;

import static org.planetarymesh.coordinator.dashboard.Html.esc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.planetarymesh.coordinator.auth.Role;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.json.Json;

/**
 * {@code GET /ui/jobs/{id}}: one job as the API answers it, rendered: status and progress, cancel and retry, details,
 * routing (the policy, every candidate with its score or why it was passed over), attempts, result or error, and a
 * receipt or bids when the job has them. Its output and status then follow the job's own event stream
 * ({@code /v1/jobs/{id}/events}) in the page's script. It reads the JSON tree, so fields later capabilities add to a
 * job (bids, a receipt) appear without changes here.
 */
final class JobPage {

    private JobPage() {}

    /** {@code names} maps node ids to the names nodes gave themselves, shown beside the ids. */
    static String render(Job job, Map<String, String> names, Layout.Viewer viewer) {
        JsonNode tree = Json.mapper().valueToTree(job);
        StringBuilder main = new StringBuilder(16384);
        main.append("<div id=\"job\" data-job-id=\"")
                .append(esc(job.id()))
                .append("\" data-terminal=\"")
                .append(job.status().isTerminal())
                .append("\">");
        head(main, job, viewer);
        main.append("<div class=\"two-col\">");
        details(main, tree, names);
        routing(main, tree.path("routing"), names);
        main.append("</div>");
        attempts(main, tree.path("attempts"), names);
        outcome(main, tree);
        extras(main, tree);
        main.append("<details><summary>Spec (JSON)</summary><pre class=\"json\">")
                .append(esc(pretty(tree.path("spec"))))
                .append("</pre></details></div>");
        main.append("<section aria-labelledby=\"h-output\"><h2 id=\"h-output\">Output</h2>")
                .append("<pre id=\"output\" class=\"output\" tabindex=\"0\" aria-label=\"Job output\">")
                .append("</pre><p id=\"output-state\" class=\"muted\" aria-live=\"polite\"></p></section>");
        return Layout.page("Job " + job.id(), "jobs", viewer, main.toString(), "job.js");
    }

    private static void head(StringBuilder out, Job job, Layout.Viewer viewer) {
        out.append("<div class=\"job-head\"><h1>Job <span class=\"mono\">")
                .append(esc(job.id()))
                .append("</span></h1><p class=\"status-line\"><span id=\"job-status\" aria-live=\"polite\">")
                .append(Html.badge(job.status()))
                .append("</span> <label for=\"job-progress\">progress</label> <progress id=\"job-progress\" max=\"1\"")
                .append(" value=\"")
                .append(job.progress())
                .append("\">")
                .append(Math.round(job.progress() * 100))
                .append("%</progress></p><div class=\"actions\">");
        boolean maySubmit = viewer.may(Role.SUBMIT);
        String why = maySubmit
                ? ""
                : " disabled title=\"needs a token with role submit or admin; yours is "
                        + esc(viewer.principal().role().id()) + "\"";
        if (!job.status().isTerminal()) {
            out.append("<button type=\"button\" class=\"danger\" id=\"cancel\" data-post=\"/v1/jobs/")
                    .append(esc(job.id()))
                    .append("/cancel\" data-confirm=\"Cancel this job?\"")
                    .append(why)
                    .append(">Cancel job</button>");
        } else if (job.status() != org.planetarymesh.core.job.JobStatus.COMPLETED) {
            out.append("<button type=\"button\" id=\"retry\" data-post=\"/v1/jobs/")
                    .append(esc(job.id()))
                    .append("/retry\"")
                    .append(why)
                    .append(">Retry job</button>");
        }
        if (!maySubmit) {
            out.append(" <span class=\"muted\">Read-only: your token (role ")
                    .append(esc(viewer.principal().role().id()))
                    .append(") cannot change jobs.</span>");
        }
        out.append("<p id=\"action-result\" role=\"status\"></p></div></div>");
    }

    private static void details(StringBuilder out, JsonNode job, Map<String, String> names) {
        JsonNode spec = job.path("spec");
        out.append("<section aria-labelledby=\"h-details\"><h2 id=\"h-details\">Details</h2><dl class=\"kv\">");
        row(out, "type", spec.path("type"));
        row(out, "scope", spec.path("scope"));
        row(out, "priority", spec.path("priority"));
        if (job.hasNonNull("node_id")) {
            out.append("<dt>node</dt><dd>")
                    .append(node(job.path("node_id").asText(), names))
                    .append("</dd>");
        }
        row(out, "attempt", job.path("attempt"));
        row(out, "owner", job.path("owner"));
        row(out, "created", job.path("created_at"));
        row(out, "started", job.path("started_at"));
        row(out, "finished", job.path("finished_at"));
        row(out, "deadline", spec.path("deadline"));
        row(out, "timeout (ms)", spec.path("timeout_ms"));
        row(out, "budget", spec.path("budget"));
        row(out, "capabilities", spec.path("requirements").path("capabilities"));
        row(out, "not before", job.path("not_before"));
        out.append("</dl></section>");
    }

    private static void row(StringBuilder out, String label, JsonNode value) {
        if (value.isMissingNode() || value.isNull() || value.isArray() && value.isEmpty()) {
            return;
        }
        out.append("<dt>").append(esc(label)).append("</dt><dd class=\"mono\">");
        out.append(esc(value.isValueNode() ? value.asText() : value.toString())).append("</dd>");
    }

    /** A node as its name, with its id shown on hover; the id alone when it has no name (or has left). */
    private static String node(String id, Map<String, String> names) {
        String name = names.get(id);
        return "<span class=\"mono\" title=\"" + esc(id) + "\">" + esc(name != null ? name : id) + "</span>";
    }

    private static void routing(StringBuilder out, JsonNode routing, Map<String, String> names) {
        out.append("<section aria-labelledby=\"h-routing\"><h2 id=\"h-routing\">Routing</h2>");
        if (routing.isMissingNode() || routing.isNull()) {
            out.append("<p class=\"muted\">Not placed yet.</p></section>");
            return;
        }
        String winner = routing.path("winner").asText(null);
        Set<String> runnersUp = new HashSet<>();
        routing.path("runners_up").forEach(n -> runnersUp.add(n.asText()));
        out.append("<p>Policy <strong>")
                .append(esc(routing.path("policy").asText()))
                .append("</strong> chose ")
                .append(winner == null ? "no node" : node(winner, names))
                .append(" at ")
                .append(esc(routing.path("decided_at").asText("")))
                .append(".</p><div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">candidate</th>")
                .append("<th scope=\"col\" class=\"num\">score</th><th scope=\"col\">verdict</th></tr></thead><tbody>");
        for (JsonNode candidate : routing.path("candidates")) {
            String node = candidate.path("node_id").asText();
            String verdict = node.equals(winner)
                    ? "<strong>chosen</strong>"
                    : candidate.hasNonNull("rejected_by")
                            ? "passed over: "
                                    + esc(candidate.path("rejected_by").asText())
                            : runnersUp.contains(node) ? "runner-up" : "eligible";
            out.append("<tr><td class=\"ellipsis\">")
                    .append(node(node, names))
                    .append("</td><td class=\"num\">")
                    .append(
                            candidate.hasNonNull("score")
                                    ? esc(candidate.path("score").asText())
                                    : "—")
                    .append("</td><td>")
                    .append(verdict)
                    .append("</td></tr>");
        }
        out.append("</tbody></table></div>");
        // What a placement policy adds to its record (an auction's bids, say) is shown as it is.
        Set<String> known = Set.of("policy", "winner", "candidates", "runners_up", "decided_at");
        routing.properties().forEach(field -> {
            if (!known.contains(field.getKey())) {
                out.append("<details open><summary>")
                        .append(esc(field.getKey().replace('_', ' ')))
                        .append("</summary><pre class=\"json\">")
                        .append(esc(pretty(field.getValue())))
                        .append("</pre></details>");
            }
        });
        out.append("</section>");
    }

    private static void attempts(StringBuilder out, JsonNode attempts, Map<String, String> names) {
        out.append("<section aria-labelledby=\"h-attempts\"><h2 id=\"h-attempts\">Attempts</h2>");
        if (!attempts.isArray() || attempts.isEmpty()) {
            out.append("<p class=\"muted\">None yet.</p></section>");
            return;
        }
        out.append("<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\" class=\"num\">#</th>")
                .append("<th scope=\"col\">node</th><th scope=\"col\">executor</th><th scope=\"col\">started</th>")
                .append("<th scope=\"col\">finished</th><th scope=\"col\">outcome</th></tr></thead><tbody>");
        for (JsonNode a : attempts) {
            out.append("<tr><td class=\"num\">")
                    .append(esc(a.path("number").asText()))
                    .append("</td><td class=\"ellipsis\">")
                    .append(a.hasNonNull("node_id") ? node(a.path("node_id").asText(), names) : "")
                    .append("</td><td>")
                    .append(esc(a.path("executor").asText("")))
                    .append(a.hasNonNull("route_rule") ? " <span class=\"muted\">(" : "")
                    .append(esc(a.path("route_rule").asText("")))
                    .append(a.hasNonNull("route_rule") ? ")</span>" : "")
                    .append("</td><td>")
                    .append(esc(a.path("started_at").asText("")))
                    .append("</td><td>")
                    .append(esc(a.path("finished_at").asText("")))
                    .append("</td><td>")
                    .append(esc(a.path("outcome").asText("")))
                    .append(
                            a.has("error")
                                    ? ": " + esc(a.path("error").path("message").asText())
                                    : "")
                    .append("</td></tr>");
        }
        out.append("</tbody></table></div></section>");
    }

    private static void outcome(StringBuilder out, JsonNode job) {
        if (job.has("error")) {
            out.append("<section aria-labelledby=\"h-error\"><h2 id=\"h-error\">Error</h2><p class=\"error\">")
                    .append(esc(job.path("error").path("code").asText()))
                    .append(": ")
                    .append(esc(job.path("error").path("message").asText()))
                    .append("</p></section>");
        }
        if (job.has("result")) {
            out.append("<section aria-labelledby=\"h-result\"><h2 id=\"h-result\">Result</h2><pre class=\"json\">")
                    .append(esc(pretty(job.path("result"))))
                    .append("</pre></section>");
        }
    }

    /** Receipt and bids, and any other field a later capability adds to the job that this page does not know. */
    private static void extras(StringBuilder out, JsonNode job) {
        Set<String> known = Set.of(
                "id",
                "spec",
                "status",
                "node_id",
                "attempt",
                "progress",
                "result",
                "error",
                "created_at",
                "updated_at",
                "started_at",
                "finished_at",
                "not_before",
                "routing",
                "attempts",
                "owner");
        for (Iterator<Map.Entry<String, JsonNode>> it = job.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (known.contains(field.getKey())) {
                continue;
            }
            String title = switch (field.getKey()) {
                case "receipt_cid", "receipt" -> "Receipt";
                case "bids" -> "Bids";
                default -> field.getKey().replace('_', ' ');
            };
            String id = "h-x-" + field.getKey().replaceAll("[^a-z_]", "");
            out.append("<section aria-labelledby=\"")
                    .append(id)
                    .append("\"><h2 id=\"")
                    .append(id)
                    .append("\">")
                    .append(esc(title))
                    .append("</h2><pre class=\"json\">")
                    .append(esc(pretty(field.getValue())))
                    .append("</pre>");
            if (field.getKey().equals("receipt_cid")) {
                out.append("<p><a href=\"/v1/jobs/")
                        .append(esc(job.path("id").asText()))
                        .append("/receipt\">The signed receipt (JSON)</a></p>");
            }
            out.append("</section>");
        }
    }

    private static String pretty(JsonNode node) {
        try {
            return node.isValueNode()
                    ? node.asText()
                    : Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return node.toString();
        }
    }
}
