package org.planetarymesh.core.job;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.planetarymesh.core.json.Json;

/**
 * Turns a user's JSON job spec into a {@link JobSpec}, or reports every problem at once with its field path
 * ({@code "retry.max_attempts must be between 1 and 100"}). Unknown fields are refused so that typos do not pass
 * silently. The top-level fields are read here; each section has its parser ({@link RequirementsParser},
 * {@link PlacementParser}, {@link RetryParser}, {@link PayloadCheck}), all sharing one {@link SpecFields}.
 */
public final class JobSpecParser {

    /** Job types are short identifiers: executor names or capability names. */
    public static final Pattern TYPE_PATTERN = Pattern.compile("^[a-z0-9][a-z0-9._:/-]{0,127}$");

    public static final int MAX_DEPENDENCIES = 1_000;
    public static final long MAX_TIMEOUT_MS = 7L * 24 * 3600 * 1000;

    /** Furthest ahead a job may be delayed ({@code run_at} or {@code delay_ms}): a year. */
    public static final long MAX_DELAY_MS = 366L * 24 * 3600 * 1000;

    /**
     * Deepest payload accepted: the job is stored as {@code {"spec": {"payload": ...}}}, two levels above the payload,
     * and every stored document must stay within {@link Json#MAX_NESTING_DEPTH} to be readable again.
     */
    public static final int MAX_PAYLOAD_DEPTH = Json.MAX_NESTING_DEPTH - 2;

    private static final Set<String> TOP_FIELDS = Set.of(
            "type",
            "payload",
            "scope",
            "priority",
            "deadline",
            "timeout_ms",
            "requirements",
            "placement",
            "retry",
            "idempotency_key",
            "depends_on",
            "parent_id",
            "budget",
            "run_at",
            "delay_ms",
            "verify",
            "network");

    private final SpecFields fields = new SpecFields();

    private final Instant now;

    private JobSpecParser(Instant now) {
        this.now = now;
    }

    /** Parses {@code json} at the present moment; throws {@link InvalidSpecException} listing every problem. */
    public static JobSpec parse(JsonNode json) {
        return parse(json, Instant.now());
    }

    /**
     * Parses {@code json} as received at {@code now}, which a {@code delay_ms} counts from (the spec keeps the
     * resulting {@code run_at}); throws {@link InvalidSpecException} listing every problem.
     */
    public static JobSpec parse(JsonNode json, Instant now) {
        JobSpecParser parser = new JobSpecParser(now);
        JobSpec spec = parser.spec(json);
        if (!parser.fields.errors().isEmpty()) {
            throw new InvalidSpecException(parser.fields.errors());
        }
        return spec;
    }

    private JobSpec spec(JsonNode json) {
        if (json == null || !json.isObject()) {
            fields.error("", "a job spec must be a JSON object");
            return null;
        }
        fields.unknownFields(json, "", TOP_FIELDS);
        String type = fields.requiredText(json, "type");
        if (type != null && !TYPE_PATTERN.matcher(type).matches()) {
            fields.error(
                    "type",
                    "must be 1-128 characters of a-z, 0-9, '.', '_', ':', '/', '-', starting with a letter or digit");
        }
        Scope scope = fields.enumValue(json, "scope", Scope.class);
        Integer priority = fields.intInRange(json, "priority", "priority", -1_000_000, 1_000_000);
        Instant deadline = fields.instant(json, "deadline");
        Long timeoutMs = fields.longInRange(json, "timeout_ms", "timeout_ms", 1, MAX_TIMEOUT_MS);
        Requirements requirements = RequirementsParser.parse(json.get("requirements"), fields);
        Placement placement = PlacementParser.parse(json.get("placement"), fields);
        RetryPolicy retry = RetryParser.parse(json.get("retry"), fields);
        String idempotencyKey = fields.optionalText(json, "idempotency_key", "idempotency_key", 256);
        List<String> dependsOn = fields.jobIdList(json, "depends_on");
        String parentId = fields.optionalText(json, "parent_id", "parent_id", 64);
        if (parentId != null && !JobIds.isValid(parentId)) {
            fields.error("parent_id", "must be a job id (a UUIDv7 string)");
        }
        Long budget = fields.longInRange(json, "budget", "budget", 0, Long.MAX_VALUE);
        PayloadCheck.check(json.get("payload"), fields);
        Instant runAt = runAt(json, deadline);
        Verify verify = VerifyParser.parse(json.get("verify"), type, fields);
        NetworkProps network = NetworkParser.parse(json.get("network"), fields);
        return new JobSpec(
                type,
                json.get("payload"),
                scope,
                priority == null ? 0 : priority,
                deadline,
                timeoutMs,
                requirements,
                placement,
                retry,
                idempotencyKey,
                dependsOn,
                parentId,
                budget,
                runAt,
                verify,
                network);
    }

    /** When the job may start: {@code run_at} as given, or {@code delay_ms} from now; null for at once. */
    private Instant runAt(JsonNode json, Instant deadline) {
        boolean hasRunAt = json.hasNonNull("run_at");
        boolean hasDelay = json.hasNonNull("delay_ms");
        if (hasRunAt && hasDelay) {
            fields.error("delay_ms", "cannot be given with run_at: send one of them");
            return null;
        }
        Instant runAt;
        if (hasDelay) {
            Long delay = fields.longInRange(json, "delay_ms", "delay_ms", 0, MAX_DELAY_MS);
            runAt = delay == null ? null : now.plusMillis(delay);
        } else {
            runAt = fields.instant(json, "run_at");
            if (runAt != null && runAt.isAfter(now.plusMillis(MAX_DELAY_MS))) {
                fields.error(
                        "run_at",
                        "must be at most 366 days from now (got '"
                                + json.get("run_at").asText() + "')");
                return null;
            }
        }
        if (runAt != null && deadline != null && !deadline.isAfter(runAt)) {
            fields.error("deadline", "must be after the job's start time (" + runAt + "): it would time out unrun");
        }
        return runAt;
    }
}
