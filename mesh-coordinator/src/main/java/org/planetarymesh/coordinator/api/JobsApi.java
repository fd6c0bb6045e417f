package org.planetarymesh.coordinator.api;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.planetarymesh.coordinator.auth.Principal;
import org.planetarymesh.coordinator.auth.Role;
import org.planetarymesh.coordinator.quorum.VerifiedJobView;
import org.planetarymesh.coordinator.scheduler.CancelOutcome;
import org.planetarymesh.coordinator.scheduler.Scheduler;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobIds;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.job.Scope;
import org.planetarymesh.store.JobStore;

/**
 * {@code /v1/jobs} once submitted: list, get and cancel, each limited to the jobs the caller's token may see. Submission
 * is {@link SubmitApi}.
 */
final class JobsApi {

    private final JobStore store;
    private final Scheduler scheduler;
    private final StoreGate gate;

    JobsApi(JobStore store, Scheduler scheduler, StoreGate gate) {
        this.store = store;
        this.scheduler = scheduler;
        this.gate = gate;
    }

    void list(Context ctx) {
        JobStatus status = enumParam(ctx, "status", JobStatus.class);
        Scope scope = enumParam(ctx, "scope", Scope.class);
        int limit = 100;
        String rawLimit = ctx.queryParam("limit");
        if (rawLimit != null) {
            try {
                limit = Integer.parseInt(rawLimit);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > 1000) {
                throw ApiException.badRequest("limit must be an integer between 1 and 1000 (got '" + rawLimit + "')");
            }
        }
        String cursor = ctx.queryParam("cursor");
        if (cursor != null
                && (cursor.length() > 200 || !cursor.matches("[A-Za-z0-9_-]*") || cursor.length() % 4 == 1)) {
            throw ApiException.badRequest("cursor is not one this API returned");
        }
        JobStore.Page page = listPage(ctx, status, scope, limit, cursor);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("jobs", page.jobs());
        if (page.nextCursor() != null) {
            body.put("next_cursor", page.nextCursor());
        }
        Http.json(ctx, 200, body);
    }

    private JobStore.Page listPage(Context ctx, JobStatus status, Scope scope, int limit, String cursor) {
        try {
            return store.list(new JobStore.JobQuery(
                    status,
                    ctx.queryParam("type"),
                    ctx.queryParam("node"),
                    scope == null ? null : scope.name(),
                    ownerScope(ctx),
                    limit,
                    cursor));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("cursor is not one this API returned; pass back a next_cursor unchanged");
        }
    }

    void get(Context ctx) {
        Job job = findVisible(ctx);
        if (job.spec().verify() == null) {
            Http.json(ctx, 200, job);
        } else {
            Http.json(ctx, 200, VerifiedJobView.of(job, store.replicas(job.id())));
        }
    }

    void cancel(Context ctx) {
        String id = ctx.pathParam("id");
        findVisible(ctx);
        CancelOutcome outcome = gate.await(
                scheduler.cancel(id),
                "the cancellation of job " + id + " is queued and will be stored when the store is back");
        switch (outcome) {
            case CancelOutcome.Cancelled c -> Http.json(ctx, 200, c.job());
            case CancelOutcome.AlreadyFinished f ->
                throw new ApiException(
                        409,
                        "invalid_transition",
                        "job " + id + " is already " + f.job().status() + " and cannot be cancelled");
            case CancelOutcome.NotFound n -> throw ApiException.notFound("no job with id " + id);
        }
    }

    /** Checks before an event stream opens, so an unknown id gets a 404 rather than an empty stream. */
    void requireJob(Context ctx) {
        findVisible(ctx);
    }

    /** The job named in the path, if the caller may see it (404 or 403 otherwise). */
    Job visible(Context ctx) {
        return findVisible(ctx);
    }

    /** The job named in the path, if the caller may see it: a {@code submit} token sees only the jobs it submitted. */
    Job findVisible(Context ctx) {
        Job job = find(ctx.pathParam("id"));
        String scope = ownerScope(ctx);
        if (scope != null && !scope.equals(job.owner())) {
            throw new ApiException(
                    403,
                    "forbidden",
                    "job " + job.id() + " was submitted with another token; a token "
                            + "with role submit sees and cancels only its own jobs (use a read or admin token)");
        }
        return job;
    }

    /** The owner a request is limited to: its own token id for role {@code submit}, else null (sees every job). */
    static String ownerScope(Context ctx) {
        Principal principal = ctx.attribute(ApiServer.PRINCIPAL);
        return principal != null && principal.role() == Role.SUBMIT ? principal.tokenId() : null;
    }

    Job find(String id) {
        if (!JobIds.isValid(id)) {
            throw ApiException.notFound("no job with id " + id + " (job ids are UUIDv7 strings)");
        }
        return store.find(id).orElseThrow(() -> ApiException.notFound("no job with id " + id));
    }

    private static <E extends Enum<E>> E enumParam(Context ctx, String name, Class<E> type) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        try {
            return Enum.valueOf(type, raw.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(name + " must be one of " + java.util.Arrays.toString(type.getEnumConstants())
                    + " (got '" + raw + "')");
        }
    }
}
