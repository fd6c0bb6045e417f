package org.planetarymesh.coordinator.dashboard;

import static org.planetarymesh.coordinator.dashboard.Html.esc;

import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.planetarymesh.coordinator.auth.Role;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.job.Scope;
import org.planetarymesh.store.JobStore;

/**
 * {@code GET /ui/jobs}: jobs newest first, filtered by status, type, scope and node, {@value #PAGE} a page. Pages are
 * keyset-paginated by the store ({@code id < cursor ORDER BY id DESC} on an index ending in id), so a page costs the
 * same on the millionth job as on the first; nothing is counted.
 */
final class JobsPage {

    static final int PAGE = 50;

    private final JobStore store;

    JobsPage(JobStore store) {
        this.store = store;
    }

    void render(Context ctx, Layout.Viewer viewer) {
        Map<String, String> filters = new LinkedHashMap<>();
        for (String name : new String[] {"status", "type", "scope", "node"}) {
            String value = ctx.queryParam(name);
            if (value != null && !value.isBlank()) {
                filters.put(name, value.strip());
            }
        }
        String problem = null;
        JobStatus status = null;
        Scope scope = null;
        try {
            status = filters.containsKey("status")
                    ? JobStatus.valueOf(filters.get("status").toUpperCase(Locale.ROOT))
                    : null;
            scope = filters.containsKey("scope")
                    ? Scope.valueOf(filters.get("scope").toUpperCase(Locale.ROOT))
                    : null;
        } catch (IllegalArgumentException e) {
            problem = "status must be one of " + java.util.Arrays.toString(JobStatus.values()) + " and scope one of "
                    + java.util.Arrays.toString(Scope.values());
        }
        String cursor = ctx.queryParam("cursor");
        JobStore.Page page = null;
        if (problem == null) {
            try {
                String owner = viewer.principal().role() == Role.SUBMIT
                        ? viewer.principal().tokenId()
                        : null;
                page = store.list(new JobStore.JobQuery(
                        status,
                        filters.get("type"),
                        filters.get("node"),
                        scope == null ? null : scope.name(),
                        owner,
                        PAGE,
                        cursor == null || cursor.isEmpty() ? null : cursor));
            } catch (IllegalArgumentException e) {
                problem = "this page link is not one the dashboard made; start again from the first page";
            }
        }
        StringBuilder main = new StringBuilder(16384);
        main.append("<h1>Jobs</h1>");
        filterForm(main, filters);
        if (problem != null) {
            ctx.status(400);
            main.append("<p class=\"error\" role=\"alert\">")
                    .append(esc(problem))
                    .append("</p>");
        } else {
            table(main, page, filters, cursor);
        }
        ctx.html(Layout.page("Jobs", "jobs", viewer, main.toString()));
    }

    private static void filterForm(StringBuilder out, Map<String, String> filters) {
        out.append("<form class=\"filters\" method=\"get\" action=\"/ui/jobs\" hx-get=\"/ui/jobs\"")
                .append(" hx-trigger=\"change, submit, input changed delay:400ms from:input[type=search]\"")
                .append(" hx-target=\"#jobs-table\" hx-select=\"#jobs-table\" hx-swap=\"outerHTML\"")
                .append(" hx-push-url=\"true\" role=\"search\" aria-label=\"Filter jobs\">");
        select(out, "status", "Status", JobStatus.values(), filters.get("status"));
        select(out, "scope", "Scope", Scope.values(), filters.get("scope"));
        out.append("<label>Type <input type=\"search\" name=\"type\" value=\"")
                .append(esc(filters.get("type")))
                .append("\" placeholder=\"e.g. echo\" autocomplete=\"off\"></label>")
                .append("<label>Node <input type=\"search\" name=\"node\" value=\"")
                .append(esc(filters.get("node")))
                .append("\" placeholder=\"node id\" autocomplete=\"off\"></label>")
                .append("<button type=\"submit\">Filter</button> <a href=\"/ui/jobs\">Clear</a></form>");
    }

    private static void select(StringBuilder out, String name, String label, Enum<?>[] values, String current) {
        out.append("<label>")
                .append(label)
                .append(" <select name=\"")
                .append(name)
                .append("\"><option value=\"\">any");
        out.append("</option>");
        for (Enum<?> value : values) {
            out.append("<option")
                    .append(value.name().equalsIgnoreCase(current == null ? "" : current) ? " selected" : "")
                    .append(">")
                    .append(value.name())
                    .append("</option>");
        }
        out.append("</select></label>");
    }

    private static void table(StringBuilder out, JobStore.Page page, Map<String, String> filters, String cursor) {
        out.append(
                        "<div id=\"jobs-table\"><div class=\"table-wrap\"><table class=\"jobs\"><caption class=\"sr\">Jobs, newest")
                .append(" first</caption><thead><tr><th scope=\"col\">id</th><th scope=\"col\">type</th>")
                .append("<th scope=\"col\">status</th><th scope=\"col\">scope</th><th scope=\"col\">node</th>")
                .append("<th scope=\"col\" class=\"num\">attempt</th><th scope=\"col\">created (UTC)</th>")
                .append("</tr></thead><tbody>");
        if (page.jobs().isEmpty()) {
            out.append("<tr><td colspan=\"7\" class=\"muted\">No jobs match.</td></tr>");
        }
        for (Job job : page.jobs()) {
            out.append("<tr><td><a class=\"mono\" href=\"/ui/jobs/")
                    .append(esc(job.id()))
                    .append("\">")
                    .append(esc(job.id()))
                    .append("</a></td><td>")
                    .append(esc(job.spec().type()))
                    .append("</td><td>")
                    .append(Html.badge(job.status()))
                    .append("</td><td>")
                    .append(esc(job.spec().scope()))
                    .append("</td><td class=\"mono ellipsis\" title=\"")
                    .append(esc(job.nodeId()))
                    .append("\">")
                    .append(esc(job.nodeId()))
                    .append("</td><td class=\"num\">")
                    .append(job.attempt())
                    .append("</td><td>")
                    .append(Html.time(job.createdAt()))
                    .append("</td></tr>");
        }
        out.append("</tbody></table></div><nav class=\"pager\" aria-label=\"Pages\">");
        if (cursor != null && !cursor.isEmpty()) {
            out.append("<a href=\"").append(esc(link(filters, null))).append("\">⇤ Newest</a> ");
        }
        if (page.nextCursor() != null) {
            out.append("<a rel=\"next\" href=\"")
                    .append(esc(link(filters, page.nextCursor())))
                    .append("\">Older →</a>");
        }
        out.append("</nav></div>");
    }

    private static String link(Map<String, String> filters, String cursor) {
        StringBuilder url = new StringBuilder("/ui/jobs?");
        filters.forEach((k, v) -> url.append(k).append('=').append(enc(v)).append('&'));
        if (cursor != null) {
            url.append("cursor=").append(enc(cursor));
        }
        return url.toString();
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
