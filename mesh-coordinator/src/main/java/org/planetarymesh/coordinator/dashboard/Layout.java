package org.planetarymesh.coordinator.dashboard;

import static org.planetarymesh.coordinator.dashboard.Html.esc;

import org.planetarymesh.coordinator.auth.Principal;
import org.planetarymesh.coordinator.auth.Role;

/** The frame every dashboard page shares: head, navigation, who is signed in, and the page's main content. */
final class Layout {

    private static final String[][] NAV = {
        {"overview", "/", "Overview"},
        {"jobs", "/ui/jobs", "Jobs"},
        {"new", "/ui/new", "New job"},
        {"nodes", "/ui/nodes", "Nodes"},
        {"schedules", "/ui/schedules", "Schedules"},
        {"routing", "/ui/routing", "Routing"},
    };

    private Layout() {}

    /** Who is looking: the token's principal and the CSRF token their page's scripts send back. */
    record Viewer(Principal principal, String csrf) {
        boolean may(Role needed) {
            return principal.role().allows(needed);
        }
    }

    /** A whole page: {@code main} is already-escaped HTML; {@code scripts} are asset names under /ui/assets/. */
    static String page(String title, String active, Viewer viewer, String main, String... scripts) {
        StringBuilder html = new StringBuilder(8192);
        html.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>")
                .append(esc(title))
                .append(" · Planetary Mesh</title>")
                .append("<meta name=\"csrf-token\" content=\"")
                .append(esc(viewer == null ? "" : viewer.csrf()))
                .append("\">")
                .append("<link rel=\"stylesheet\" href=\"/ui/assets/dashboard.css\">")
                .append("<script src=\"/ui/assets/htmx.min.js\" defer></script>")
                .append("<script src=\"/ui/assets/dashboard.js\" defer></script>");
        for (String script : scripts) {
            if (script.endsWith(".css")) {
                html.append("<link rel=\"stylesheet\" href=\"/ui/assets/")
                        .append(script)
                        .append("\">");
            } else {
                html.append("<script src=\"/ui/assets/").append(script).append("\" defer></script>");
            }
        }
        html.append("</head><body>");
        html.append("<a class=\"skip\" href=\"#main\">Skip to content</a>");
        html.append("<header class=\"top\"><a class=\"brand\" href=\"/\">◍ Planetary Mesh</a>");
        if (viewer != null) {
            html.append("<nav aria-label=\"Dashboard\"><ul>");
            for (String[] item : NAV) {
                boolean current = item[0].equals(active);
                html.append("<li><a href=\"")
                        .append(item[1])
                        .append("\"")
                        .append(current ? " aria-current=\"page\"" : "")
                        .append(">")
                        .append(item[2])
                        .append("</a></li>");
            }
            html.append("</ul></nav>");
            html.append("<form class=\"who\" method=\"post\" action=\"/ui/logout\">")
                    .append("<span>")
                    .append(esc(viewer.principal().name()))
                    .append(" <span class=\"role\">")
                    .append(esc(viewer.principal().role().id()))
                    .append("</span></span>")
                    .append("<input type=\"hidden\" name=\"csrf\" value=\"")
                    .append(esc(viewer.csrf()))
                    .append("\"><button type=\"submit\" class=\"link\">Sign out</button></form>");
        }
        html.append("</header><main id=\"main\" tabindex=\"-1\">").append(main).append("</main></body></html>");
        return html.toString();
    }
}
