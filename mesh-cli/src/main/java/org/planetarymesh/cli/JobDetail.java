package org.planetarymesh.cli;

import java.time.Instant;
import java.util.Locale;
import org.planetarymesh.core.job.Attempt;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.RouteDecision;
import org.planetarymesh.core.job.Routing;

/**
 * The text of {@code mesh job ID}: the job's state as labelled lines, then the routing reasoning (every candidate
 * with its score or the filter that rejected it, the winner, the runners-up), then the attempts as a table.
 */
final class JobDetail {

    private JobDetail() {}

    static String render(Job job, Instant now) {
        StringBuilder out = new StringBuilder();
        field(out, "ID", job.id());
        field(out, "Type", job.spec().type());
        field(out, "Status", job.status().name());
        field(out, "Node", job.nodeId());
        field(out, "Attempt", job.attempt() + " of " + job.spec().retry().maxAttempts());
        field(out, "Progress", String.format(Locale.ROOT, "%.0f%%", job.progress() * 100));
        field(out, "Priority", Integer.toString(job.spec().priority()));
        field(out, "Scope", job.spec().scope().name());
        if (!job.spec().requirements().capabilities().isEmpty()) {
            field(out, "Needs", String.join(", ", job.spec().requirements().capabilities()));
        }
        field(out, "Created", when(job.createdAt(), now));
        if (job.spec().runAt() != null) {
            field(out, "Runs at", Cells.startTime(job.spec().runAt(), now));
        }
        field(out, "Started", when(job.startedAt(), now));
        field(out, "Finished", when(job.finishedAt(), now));
        if (job.error() != null) {
            field(out, "Error", job.error().message() + " (" + job.error().code() + ")");
        }
        if (job.result() != null && !job.result().isNull()) {
            String result = job.result().isTextual()
                    ? job.result().asText()
                    : job.result().toString();
            field(out, "Result", result.length() > 200 ? result.substring(0, 199) + "…" : result);
        }
        if (job.receiptCid() != null) {
            field(out, "Receipt", job.receiptCid());
        }
        routing(out, job.routing());
        if (job.routing() != null && job.routing().auction() != null) {
            AuctionDetail.render(out, job.routing().auction());
        }
        attempts(out, job);
        return out.toString();
    }

    /** The router's decision: the kind of target, its reasoning, and each route not taken with why not. */
    private static void route(StringBuilder out, RouteDecision route) {
        if (route == null) {
            return;
        }
        out.append("  Route:       ")
                .append(route.target() == null ? "none yet" : route.target())
                .append('\n');
        out.append("  Reasoning:   ").append(route.reasoning()).append('\n');
        for (RouteDecision.Alternative alternative : route.alternativeRoutes()) {
            out.append("  Not ")
                    .append(alternative.target())
                    .append(alternative.nodes().isEmpty() ? "" : " (" + String.join(", ", alternative.nodes()) + ")")
                    .append(": ")
                    .append(alternative.whyNot())
                    .append('\n');
        }
    }

    private static void routing(StringBuilder out, Routing routing) {
        out.append("\nRouting");
        if (routing == null) {
            out.append(": not placed yet\n");
            return;
        }
        out.append(" (").append(routing.policy()).append(")\n");
        out.append("  Winner:      ")
                .append(routing.winner() == null ? "none" : routing.winner())
                .append('\n');
        out.append("  Runners-up:  ")
                .append(routing.runnersUp().isEmpty() ? "none" : String.join(", ", routing.runnersUp()))
                .append('\n');
        if (routing.reason() != null) {
            out.append("  Why:         ").append(routing.reason()).append('\n');
        }
        route(out, routing.route());
        if (routing.candidates().isEmpty()) {
            out.append("  No candidates.\n");
            return;
        }
        Table table = new Table("CANDIDATE", "SCORE", "REJECTED BY");
        for (Routing.Candidate c : routing.candidates()) {
            table.row(
                    c.nodeId(),
                    c.score() == null ? null : String.format(Locale.ROOT, "%.3f", c.score()),
                    c.rejectedBy());
        }
        table.render().lines().forEach(line -> out.append("  ").append(line).append('\n'));
    }

    private static void attempts(StringBuilder out, Job job) {
        out.append("\nAttempts\n");
        if (job.attempts().isEmpty()) {
            out.append("  none yet\n");
            return;
        }
        Table table = new Table("#", "NODE", "STARTED", "FINISHED", "OUTCOME", "ERROR");
        for (Attempt a : job.attempts()) {
            table.row(
                    a.number(),
                    a.nodeId(),
                    a.startedAt(),
                    a.finishedAt(),
                    a.outcome() == null ? "running" : a.outcome(),
                    a.error() == null
                            ? null
                            : a.error().code() + ": " + a.error().message());
        }
        table.render().lines().forEach(line -> out.append("  ").append(line).append('\n'));
    }

    private static void field(StringBuilder out, String label, String value) {
        out.append(String.format(Locale.ROOT, "%-10s", label))
                .append(value == null ? "-" : value)
                .append('\n');
    }

    private static String when(Instant at, Instant now) {
        return at == null ? null : at + " (" + Cells.age(at, now) + " ago)";
    }
}
