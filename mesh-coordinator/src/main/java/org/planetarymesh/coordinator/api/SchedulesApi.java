package org.planetarymesh.coordinator.api;

import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.planetarymesh.coordinator.CoordinatorConfig;
import org.planetarymesh.coordinator.schedule.ScheduleRunner;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.schedule.Schedule;

/**
 * {@code /v1/schedules}: create, list, get, pause, resume, run now and delete cron schedules. A token with role
 * {@code submit} sees and changes only the schedules it created (their jobs are its own), as with jobs.
 */
final class SchedulesApi {

    private final CoordinatorConfig config;
    private final ScheduleRunner schedules;
    private final StoreGate gate;
    private final SpecChecks specs;

    SchedulesApi(CoordinatorConfig config, ScheduleRunner schedules, StoreGate gate) {
        this.config = config;
        this.schedules = schedules;
        this.gate = gate;
        this.specs = new SpecChecks(config.maxPayloadBytes());
    }

    void create(Context ctx) {
        Schedule schedule =
                ScheduleRequest.parse(Http.jsonBody(ctx, config.maxBodyBytes()), specs, owner(ctx), Instant.now());
        schedules.create(schedule);
        ctx.header("Location", "/v1/schedules/" + schedule.id());
        Http.json(ctx, 201, schedule);
    }

    void list(Context ctx) {
        String scope = JobsApi.ownerScope(ctx);
        List<Schedule> visible = schedules.list().stream()
                .filter(s -> scope == null || scope.equals(s.owner()))
                .toList();
        Http.json(ctx, 200, Map.of("schedules", visible));
    }

    void get(Context ctx) {
        Http.json(ctx, 200, visible(ctx));
    }

    void pause(Context ctx) {
        String id = visible(ctx).id();
        Http.json(ctx, 200, schedules.pause(id).orElseThrow(() -> missing(id)));
    }

    void resume(Context ctx) {
        String id = visible(ctx).id();
        Http.json(ctx, 200, schedules.resume(id).orElseThrow(() -> missing(id)));
    }

    void delete(Context ctx) {
        String id = visible(ctx).id();
        if (!schedules.delete(id)) {
            throw missing(id);
        }
        Http.json(ctx, 200, Map.of("id", id, "deleted", true));
    }

    /** Makes one job from the schedule now; answered once the job is stored, as {@code POST /v1/jobs} is. */
    void run(Context ctx) {
        Schedule schedule = visible(ctx);
        Job job = gate.await(
                schedules.runNow(schedule),
                "the schedule's job is queued and will be stored and run when the store is back; do not run it again");
        ctx.header("Location", "/v1/jobs/" + job.id());
        Http.json(ctx, 201, job);
    }

    /** The schedule the path names: 404 if there is none, 403 if this token may not see it (as for jobs). */
    private Schedule visible(Context ctx) {
        String id = ctx.pathParam("id");
        Schedule schedule = schedules.find(id).orElseThrow(() -> missing(id));
        String scope = JobsApi.ownerScope(ctx);
        if (scope != null && !scope.equals(schedule.owner())) {
            throw new ApiException(
                    403,
                    "forbidden",
                    "schedule " + id + " belongs to another token; a token with role submit sees and changes only"
                            + " its own schedules (use a read or admin token)");
        }
        return schedule;
    }

    private static ApiException missing(String id) {
        return ApiException.notFound("no schedule " + id + " (list them with GET /v1/schedules)");
    }

    private static String owner(Context ctx) {
        var principal = ctx.<org.planetarymesh.coordinator.auth.Principal>attribute(ApiServer.PRINCIPAL);
        return principal == null ? null : principal.tokenId();
    }
}
