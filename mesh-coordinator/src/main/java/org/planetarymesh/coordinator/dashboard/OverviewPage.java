package org.planetarymesh.coordinator.dashboard;

import static org.planetarymesh.coordinator.dashboard.Html.count;
import static org.planetarymesh.coordinator.dashboard.Html.esc;
import static org.planetarymesh.coordinator.dashboard.Html.percent;

import java.util.Map;
import org.planetarymesh.core.job.JobStatus;

/**
 * {@code GET /}: jobs by status now, completion and failure rates, ends by type and scope since start, and live
 * throughput and latency charts. Everything comes from memory ({@link DashboardStats}); the page's script then
 * follows {@code /ui/live}, one small summary a second.
 */
final class OverviewPage {

    /** Statuses shown even at zero; the others (pending, announced, refunds, disputes) only once a job has one. */
    private static final java.util.Set<JobStatus> ALWAYS_SHOWN = java.util.EnumSet.of(
            JobStatus.QUEUED,
            JobStatus.ASSIGNED,
            JobStatus.RUNNING,
            JobStatus.COMPLETED,
            JobStatus.FAILED,
            JobStatus.CANCELLED,
            JobStatus.TIMED_OUT);

    private final DashboardStats stats;

    OverviewPage(DashboardStats stats) {
        this.stats = stats;
    }

    String render(Layout.Viewer viewer) {
        Map<JobStatus, Long> counts = stats.statusCounts();
        Summary summary = Summary.of(counts);
        StringBuilder main = new StringBuilder(4096);
        main.append("<h1>Overview</h1>");
        main.append("<div class=\"cards headline\">");
        card(main, "total", "All jobs", summary.total());
        card(main, "active", "Waiting or running", summary.active());
        rate(main, "completion_rate", "Completion rate", summary.completionRate(), "completed among ended jobs");
        rate(main, "failure_rate", "Failure rate", summary.failureRate(), "failed among completed and failed");
        main.append("</div><section aria-labelledby=\"h-status\"><h2 id=\"h-status\">Jobs by status</h2>")
                .append("<div class=\"cards\">");
        for (JobStatus status : JobStatus.values()) {
            long n = counts.getOrDefault(status, 0L);
            if (n > 0 || ALWAYS_SHOWN.contains(status)) {
                card(main, status.name(), status.name().replace('_', ' ').toLowerCase(java.util.Locale.ROOT), n);
            }
        }
        main.append("</div></section>");
        main.append("<section class=\"charts\" aria-labelledby=\"h-perf\"><h2 id=\"h-perf\">Live</h2>")
                .append("<div class=\"chart-grid\">")
                .append("<figure><figcaption>Throughput (jobs ended per second)</figcaption>")
                .append("<div id=\"chart-throughput\" class=\"chart\" role=\"img\" aria-label=\"Jobs completed and")
                .append(" failed per second, last two minutes\"></div></figure>")
                .append("<figure><figcaption>Latency, submit to end (ms)</figcaption>")
                .append("<div id=\"chart-latency\" class=\"chart\" role=\"img\" aria-label=\"Median and 95th")
                .append(" percentile latency per second, last two minutes\"></div></figure>")
                .append("</div><p class=\"muted\" id=\"live-state\" aria-live=\"polite\">Connecting…</p></section>");
        main.append("<div class=\"two-col\">");
        endsTable(main, "h-type", "Since start, by type", "type", stats.endsByType());
        endsTable(main, "h-scope", "Since start, by scope", "scope", stats.endsByScope());
        main.append("</div>");
        return Layout.page(
                "Overview", "overview", viewer, main.toString(), "uPlot.min.css", "uPlot.iife.min.js", "overview.js");
    }

    private static void card(StringBuilder out, String key, String label, long value) {
        out.append("<div class=\"card\"><div class=\"label\">")
                .append(esc(label))
                .append("</div><div class=\"value\" data-stat=\"")
                .append(esc(key))
                .append("\">")
                .append(count(value))
                .append("</div></div>");
    }

    private static void rate(StringBuilder out, String key, String label, Double value, String hint) {
        out.append("<div class=\"card\"><div class=\"label\">")
                .append(esc(label))
                .append("</div><div class=\"value\" data-stat=\"")
                .append(key)
                .append("\">")
                .append(percent(value))
                .append("</div><div class=\"hint\">")
                .append(esc(hint))
                .append("</div></div>");
    }

    private static void endsTable(
            StringBuilder out,
            String id,
            String title,
            String keyName,
            Map<String, DashboardStats.Ends.Snapshot> ends) {
        out.append("<section aria-labelledby=\"")
                .append(id)
                .append("\"><h2 id=\"")
                .append(id)
                .append("\">")
                .append(esc(title))
                .append("</h2><div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">")
                .append(esc(keyName))
                .append("</th><th scope=\"col\" class=\"num\">submitted</th><th scope=\"col\" class=\"num\">")
                .append("completed</th><th scope=\"col\" class=\"num\">failed")
                .append("</th><th scope=\"col\" class=\"num\">cancelled</th><th scope=\"col\" class=\"num\">")
                .append("failure rate</th></tr></thead><tbody data-ends=\"")
                .append(keyName)
                .append("\">");
        if (ends.isEmpty()) {
            out.append("<tr><td colspan=\"6\" class=\"muted\">No job since the coordinator started.</td></tr>");
        }
        ends.forEach((key, e) -> out.append("<tr><th scope=\"row\">")
                .append(esc(key))
                .append("</th><td class=\"num\">")
                .append(count(e.submitted()))
                .append("</td><td class=\"num\">")
                .append(count(e.completed()))
                .append("</td><td class=\"num\">")
                .append(count(e.failed()))
                .append("</td><td class=\"num\">")
                .append(count(e.cancelled()))
                .append("</td><td class=\"num\">")
                .append(percent(e.failureRate()))
                .append("</td></tr>"));
        out.append("</tbody></table></div></section>");
    }

    /** The headline figures of a status snapshot. */
    record Summary(long total, long active, Double completionRate, Double failureRate) {
        static Summary of(Map<JobStatus, Long> counts) {
            long total = 0;
            long ended = 0;
            for (var e : counts.entrySet()) {
                total += e.getValue();
                if (e.getKey().isTerminal()) {
                    ended += e.getValue();
                }
            }
            long completed = counts.getOrDefault(JobStatus.COMPLETED, 0L);
            long failed = counts.getOrDefault(JobStatus.FAILED, 0L) + counts.getOrDefault(JobStatus.TIMED_OUT, 0L);
            return new Summary(
                    total,
                    total - ended,
                    ended == 0 ? null : (double) completed / ended,
                    completed + failed == 0 ? null : (double) failed / (completed + failed));
        }
    }
}
