package org.planetarymesh.coordinator.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.planetarymesh.coordinator.schedule.CronTimes;
import org.planetarymesh.core.job.JobIds;
import org.planetarymesh.core.job.JobSpec;
import org.planetarymesh.core.schedule.MissedFires;
import org.planetarymesh.core.schedule.Schedule;

/**
 * Reads the body of {@code POST /v1/schedules} into a new {@link Schedule}, or refuses it with 422 naming every field
 * that is wrong and how to fix it: {@code cron} (required), {@code zone}, {@code job} (required: a job spec, as
 * {@code POST /v1/jobs} takes), {@code missed} and {@code paused}.
 */
final class ScheduleRequest {

    private static final Set<String> FIELDS = Set.of("cron", "zone", "job", "missed", "paused");

    /** Spec fields that cannot be shared by every job of a schedule, and what to use instead. */
    private static final List<Map.Entry<String, String>> NOT_IN_TEMPLATE = List.of(
            Map.entry("run_at", "a schedule's jobs start at its ticks; leave it out"),
            Map.entry("delay_ms", "a schedule's jobs start at its ticks; leave it out"),
            Map.entry("deadline", "an absolute deadline cannot hold for every tick; use timeout_ms"),
            Map.entry("idempotency_key", "each job of a schedule gets the key schedule:<id>:<tick>; leave it out"));

    private final List<Map<String, Object>> problems = new ArrayList<>();
    private final SpecChecks specs;

    private ScheduleRequest(SpecChecks specs) {
        this.specs = specs;
    }

    /** The schedule {@code body} asks for, created at {@code now} by {@code owner}. */
    static Schedule parse(JsonNode body, SpecChecks specs, String owner, Instant now) {
        return new ScheduleRequest(specs).schedule(body, owner, now);
    }

    private Schedule schedule(JsonNode body, String owner, Instant now) {
        if (body == null || !body.isObject()) {
            throw new ApiException(
                    422, "invalid_schedule", "send a JSON object: {\"cron\": \"*/5 * * * *\", \"job\": {job spec}}");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                problem(name, "is not a known field (known: cron, zone, job, missed, paused)");
            }
        }
        ZoneId zone = zone(body.get("zone"));
        CronTimes cron = cron(body.get("cron"), zone);
        MissedFires missed = missed(body.get("missed"));
        boolean paused = paused(body.get("paused"));
        JobSpec job = job(body.get("job"));
        if (!problems.isEmpty()) {
            // Worded as a refused job spec is: every problem, its field first.
            String message = problems.stream()
                    .map(p -> p.get("field") + " " + p.get("message"))
                    .collect(java.util.stream.Collectors.joining("; "));
            throw new ApiException(422, "invalid_schedule", message, problems);
        }
        return new Schedule(
                JobIds.next(),
                body.get("cron").asText().strip(),
                zone.getId(),
                job,
                missed,
                paused,
                cron.nextAfter(now),
                null,
                null,
                now,
                owner);
    }

    private ZoneId zone(JsonNode value) {
        if (value == null || value.isNull()) {
            return ZoneId.of("UTC");
        }
        if (value.isTextual()) {
            try {
                return ZoneId.of(value.asText());
            } catch (DateTimeException e) {
                // fall through to the problem below
            }
        }
        problem("zone", "must be a time zone name such as UTC or Europe/Paris (got " + value + ")");
        return ZoneId.of("UTC");
    }

    private CronTimes cron(JsonNode value, ZoneId zone) {
        if (value == null || value.isNull() || !value.isTextual()) {
            problem("cron", value == null || value.isNull() ? "is required: " + CronTimes.FORMS : "must be a string");
            return null;
        }
        try {
            return CronTimes.parse(value.asText(), zone);
        } catch (IllegalArgumentException e) {
            problem("cron", e.getMessage());
            return null;
        }
    }

    private MissedFires missed(JsonNode value) {
        if (value == null || value.isNull()) {
            return MissedFires.RUN_ONCE;
        }
        var policy = value.isTextual() ? MissedFires.fromWire(value.asText()) : java.util.Optional.<MissedFires>empty();
        if (policy.isEmpty()) {
            problem("missed", "must be 'run_once' (the default) or 'skip' (got " + value + ")");
        }
        return policy.orElse(MissedFires.RUN_ONCE);
    }

    private boolean paused(JsonNode value) {
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            problem("paused", "must be true or false (got " + value + ")");
        }
        return value.asBoolean();
    }

    private JobSpec job(JsonNode value) {
        if (value == null || value.isNull() || !value.isObject()) {
            problem("job", "is required: a job spec such as {\"type\": \"echo\"}, as POST /v1/jobs takes");
            return null;
        }
        boolean usable = true;
        for (var entry : NOT_IN_TEMPLATE) {
            if (value.has(entry.getKey())) {
                problem("job." + entry.getKey(), entry.getValue());
                usable = false;
            }
        }
        if (!usable) {
            return null;
        }
        try {
            return specs.parse(value, null);
        } catch (ApiException e) {
            if (e.details() instanceof List<?> details) {
                for (Object detail : details) {
                    if (detail instanceof Map<?, ?> d) {
                        problem("job." + d.get("field"), String.valueOf(d.get("message")));
                    }
                }
            } else {
                problem("job", e.getMessage());
            }
            return null;
        }
    }

    private void problem(String field, String message) {
        problems.add(SpecChecks.problem(null, field, message));
    }
}
