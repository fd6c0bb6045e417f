package org.planetarymesh.core.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * What a client asks the mesh to do: immutable once submitted. Build one with {@link JobSpecParser} from user JSON
 * (which reports every problem with its field path) or with {@link #of} in code.
 */
public record JobSpec(
        String type,
        JsonNode payload,
        Scope scope,
        int priority,
        Instant deadline,
        Long timeoutMs,
        Requirements requirements,
        Placement placement,
        RetryPolicy retry,
        String idempotencyKey,
        List<String> dependsOn,
        String parentId,
        Long budget,
        Instant runAt,
        Verify verify,
        NetworkProps network) {

    /** A spec run once (no {@code verify}) that came from no other mesh (no {@code network} properties). */
    public JobSpec(
            String type,
            JsonNode payload,
            Scope scope,
            int priority,
            Instant deadline,
            Long timeoutMs,
            Requirements requirements,
            Placement placement,
            RetryPolicy retry,
            String idempotencyKey,
            List<String> dependsOn,
            String parentId,
            Long budget,
            Instant runAt) {
        this(
                type,
                payload,
                scope,
                priority,
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
                null,
                null);
    }

    /** A spec that starts as soon as it may (no {@code run_at}). */
    public JobSpec(
            String type,
            JsonNode payload,
            Scope scope,
            int priority,
            Instant deadline,
            Long timeoutMs,
            Requirements requirements,
            Placement placement,
            RetryPolicy retry,
            String idempotencyKey,
            List<String> dependsOn,
            String parentId,
            Long budget) {
        this(
                type,
                payload,
                scope,
                priority,
                deadline,
                timeoutMs,
                requirements,
                placement,
                retry,
                idempotencyKey,
                dependsOn,
                parentId,
                budget,
                null);
    }

    public JobSpec {
        payload = payload == null ? NullNode.instance : payload;
        scope = scope == null ? Scope.HYBRID : scope;
        requirements = requirements == null ? Requirements.NONE : requirements;
        placement = placement == null ? Placement.DEFAULT : placement;
        retry = retry == null ? RetryPolicy.DEFAULT : retry;
        dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
    }

    /** A spec with defaults for everything but its type and payload. */
    public static JobSpec of(String type, JsonNode payload) {
        return new JobSpec(type, payload, null, 0, null, null, null, null, null, null, null, null, null);
    }

    public JobSpec withRequirements(Requirements value) {
        return with(f -> f.requirements = value);
    }

    public JobSpec withRetry(RetryPolicy value) {
        return with(f -> f.retry = value);
    }

    public JobSpec withTimeoutMs(Long value) {
        return with(f -> f.timeoutMs = value);
    }

    public JobSpec withDependsOn(List<String> value) {
        return with(f -> f.dependsOn = value);
    }

    public JobSpec withPriority(int value) {
        return with(f -> f.priority = value);
    }

    public JobSpec withDeadline(Instant value) {
        return with(f -> f.deadline = value);
    }

    public JobSpec withPlacement(Placement value) {
        return with(f -> f.placement = value);
    }

    public JobSpec withIdempotencyKey(String value) {
        return with(f -> f.idempotencyKey = value);
    }

    /** The same spec as handed over by another mesh with {@code value}. */
    public JobSpec withNetwork(NetworkProps value) {
        return with(f -> f.network = value);
    }

    /** The same spec, to start no earlier than {@code value} (null: at once). */
    public JobSpec withRunAt(Instant value) {
        return with(f -> f.runAt = value);
    }

    /** The same spec, run on several nodes and accepted on their agreement ({@code verify}; null: run once). */
    public JobSpec withVerify(Verify value) {
        return with(f -> f.verify = value);
    }

    /** The same spec as a child job of {@code value} ({@code parent_id}). */
    public JobSpec withParentId(String value) {
        return with(f -> f.parentId = value);
    }

    private JobSpec with(Consumer<Fields> change) {
        Fields fields = new Fields(this);
        change.accept(fields);
        return fields.build();
    }

    /** A mutable copy of a spec's components: each {@code withX} changes one and builds a new spec. */
    private static final class Fields {
        String type;
        JsonNode payload;
        Scope scope;
        int priority;
        Instant deadline;
        Long timeoutMs;
        Requirements requirements;
        Placement placement;
        RetryPolicy retry;
        String idempotencyKey;
        List<String> dependsOn;
        String parentId;
        Long budget;
        Instant runAt;
        Verify verify;
        NetworkProps network;

        Fields(JobSpec s) {
            type = s.type;
            payload = s.payload;
            scope = s.scope;
            priority = s.priority;
            deadline = s.deadline;
            timeoutMs = s.timeoutMs;
            requirements = s.requirements;
            placement = s.placement;
            retry = s.retry;
            idempotencyKey = s.idempotencyKey;
            dependsOn = s.dependsOn;
            parentId = s.parentId;
            budget = s.budget;
            runAt = s.runAt;
            verify = s.verify;
            network = s.network;
        }

        JobSpec build() {
            return new JobSpec(
                    type,
                    payload,
                    scope,
                    priority,
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
    }
}
