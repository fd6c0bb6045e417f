package org.planetarymesh.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.job.Scope;

/**
 * A filter for {@link MeshClient#list}: every field is optional (null means "any"). Start from {@link #all()} and
 * narrow it with the withers; {@code limit} is 1..1000 and the coordinator defaults it to 100.
 */
public record JobQuery(JobStatus status, String type, String node, Scope scope, Integer limit, String cursor) {

    private static final JobQuery ALL = new JobQuery(null, null, null, null, null, null);

    public JobQuery {
        if (limit != null && (limit < 1 || limit > 1000)) {
            throw new IllegalArgumentException("limit must be between 1 and 1000, got " + limit);
        }
    }

    /** Every job, newest first, in pages of the coordinator's default size. */
    public static JobQuery all() {
        return ALL;
    }

    public JobQuery withStatus(JobStatus value) {
        return new JobQuery(value, type, node, scope, limit, cursor);
    }

    public JobQuery withType(String value) {
        return new JobQuery(status, value, node, scope, limit, cursor);
    }

    public JobQuery withNode(String value) {
        return new JobQuery(status, type, value, scope, limit, cursor);
    }

    public JobQuery withScope(Scope value) {
        return new JobQuery(status, type, node, value, limit, cursor);
    }

    public JobQuery withLimit(Integer value) {
        return new JobQuery(status, type, node, scope, value, cursor);
    }

    /** The same filter, continuing after a page's {@link JobPage#nextCursor()}. */
    public JobQuery withCursor(String value) {
        return new JobQuery(status, type, node, scope, limit, value);
    }

    /** The query string ({@code ?status=...}), or "" when nothing is set. */
    public String toQueryString() {
        List<String> parts = new ArrayList<>();
        add(parts, "status", status == null ? null : status.name());
        add(parts, "type", type);
        add(parts, "node", node);
        add(parts, "scope", scope == null ? null : scope.name());
        add(parts, "limit", limit == null ? null : limit.toString());
        add(parts, "cursor", cursor);
        return parts.isEmpty() ? "" : "?" + String.join("&", parts);
    }

    private static void add(List<String> parts, String name, String value) {
        if (value != null && !value.isEmpty()) {
            parts.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
    }
}
