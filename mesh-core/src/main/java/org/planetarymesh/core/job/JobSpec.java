package org.planetarymesh.core.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.time.Instant;
import java.util.List;

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
        Long budget) {

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
        return new JobSpec(
                type,
                payload,
                scope,
                priority,
                deadline,
                timeoutMs,
                value,
                placement,
                retry,
                idempotencyKey,
                dependsOn,
                parentId,
                budget);
    }

    public JobSpec withRetry(RetryPolicy value) {
        return new JobSpec(
                type,
                payload,
                scope,
                priority,
                deadline,
                timeoutMs,
                requirements,
                placement,
                value,
                idempotencyKey,
                dependsOn,
                parentId,
                budget);
    }

    public JobSpec withTimeoutMs(Long value) {
        return new JobSpec(
                type,
                payload,
                scope,
                priority,
                deadline,
                value,
                requirements,
                placement,
                retry,
                idempotencyKey,
                dependsOn,
                parentId,
                budget);
    }

    public JobSpec withDependsOn(List<String> value) {
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
                value,
                parentId,
                budget);
    }

    public JobSpec withPriority(int value) {
        return new JobSpec(
                type,
                payload,
                scope,
                value,
                deadline,
                timeoutMs,
                requirements,
                placement,
                retry,
                idempotencyKey,
                dependsOn,
                parentId,
                budget);
    }

    public JobSpec withDeadline(Instant value) {
        return new JobSpec(
                type,
                payload,
                scope,
                priority,
                value,
                timeoutMs,
                requirements,
                placement,
                retry,
                idempotencyKey,
                dependsOn,
                parentId,
                budget);
    }

    public JobSpec withPlacement(Placement value) {
        return new JobSpec(
                type,
                payload,
                scope,
                priority,
                deadline,
                timeoutMs,
                requirements,
                value,
                retry,
                idempotencyKey,
                dependsOn,
                parentId,
                budget);
    }

    public JobSpec withIdempotencyKey(String value) {
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
                value,
                dependsOn,
                parentId,
                budget);
    }
}
