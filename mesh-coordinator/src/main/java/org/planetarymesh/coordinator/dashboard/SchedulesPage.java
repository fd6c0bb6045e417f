package org.planetarymesh.coordinator.dashboard;

import static org.planetarymesh.coordinator.dashboard.Html.esc;

import java.util.Comparator;
import java.util.List;
import org.planetarymesh.coordinator.auth.Role;
import org.planetarymesh.core.schedule.Schedule;

/**
 * {@code GET /ui/schedules}: the recurring jobs this viewer may see (a submit token only its own, as in the API), each
 * with its cron and zone, the job it makes, when it fires next and what it made last, and Pause or Resume and Run now
 * buttons that call {@code /v1/schedules/{id}/...}. The table refreshes every five seconds.
 */
final class SchedulesPage {

    private SchedulesPage() {}

    static String render(List<Schedule> schedules, Layout.Viewer viewer) {
        List<Schedule> visible = schedules.stream()
                .filter(s -> viewer.principal().role() != Role.SUBMIT
                        || viewer.principal().tokenId().equals(s.owner()))
                .sorted(Comparator.comparing(Schedule::createdAt, Comparator.nullsLast(Comparator.naturalOrder()))
                        .thenComparing(Schedule::id))
                .toList();
        StringBuilder main = new StringBuilder(4096);
        main.append("<h1>Schedules</h1><p id=\"action-result\" role=\"status\"></p>");
        main.append(
                        "<div id=\"schedules\" hx-get=\"/ui/schedules\" hx-trigger=\"every 5s, mesh:changed from:document\"")
                .append(" hx-select=\"#schedules\" hx-swap=\"outerHTML\">");
        if (visible.isEmpty()) {
            main.append("<p class=\"muted\">No schedule yet. Make one with <code>./mesh schedule create --cron")
                    .append(" '*/5 * * * *' echo</code> or <code>POST /v1/schedules</code>.</p></div>");
            return Layout.page("Schedules", "schedules", viewer, main.toString());
        }
        main.append("<table><caption class=\"sr-only\">Recurring jobs</caption><thead><tr>")
                .append("<th scope=\"col\">cron</th><th scope=\"col\">job</th><th scope=\"col\">state</th>")
                .append("<th scope=\"col\">next fire</th><th scope=\"col\">last fire</th>")
                .append("<th scope=\"col\">actions</th></tr></thead><tbody>");
        for (Schedule s : visible) {
            row(main, s, viewer);
        }
        main.append("</tbody></table></div>");
        return Layout.page("Schedules", "schedules", viewer, main.toString());
    }

    private static void row(StringBuilder out, Schedule s, Layout.Viewer viewer) {
        out.append("<tr data-schedule=\"")
                .append(esc(s.id()))
                .append("\"><td><code>")
                .append(esc(s.cron()))
                .append("</code> <span class=\"muted small\">")
                .append(esc(s.zone()))
                .append("</span></td><td>")
                .append(esc(s.job().type()))
                .append("</td><td>")
                .append(Html.badge(s.paused() ? "PAUSED" : "ACTIVE"))
                .append("</td><td>")
                .append(s.paused() ? "<span class=\"muted\">paused</span>" : Html.time(s.nextFire()))
                .append("</td><td>")
                .append(Html.time(s.lastFire()));
        if (s.lastJobId() != null) {
            out.append(" <a href=\"/ui/jobs/").append(esc(s.lastJobId())).append("\">its job</a>");
        }
        out.append("</td><td>");
        boolean may = viewer.may(Role.ADMIN)
                || (viewer.may(Role.SUBMIT) && viewer.principal().tokenId().equals(s.owner()));
        String name = esc(s.cron() + " " + s.job().type());
        button(out, s, s.paused() ? "resume" : "pause", s.paused() ? "Resume" : "Pause", name, may);
        button(out, s, "run", "Run now", name, may);
        out.append("</td></tr>");
    }

    private static void button(StringBuilder out, Schedule s, String action, String label, String name, boolean may) {
        out.append("<button type=\"button\" data-post=\"/v1/schedules/")
                .append(esc(s.id()))
                .append("/")
                .append(action)
                .append("\" aria-label=\"")
                .append(label)
                .append(" ")
                .append(name)
                .append("\"");
        if (!may) {
            out.append(" disabled title=\"needs the token that made this schedule, or an admin token\"");
        }
        out.append(">").append(label).append("</button> ");
    }
}
