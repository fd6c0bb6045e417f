package org.planetarymesh.coordinator.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.planetarymesh.core.job.FieldError;
import org.planetarymesh.core.job.InvalidSpecException;
import org.planetarymesh.core.job.JobSpec;
import org.planetarymesh.core.job.JobSpecParser;
import org.planetarymesh.core.job.JobTypes;
import org.planetarymesh.core.json.Json;

/**
 * Reads a submitted spec, and checks what the core parser cannot know: that the type can run on this mesh and the
 * payload fits this coordinator's limit. Every refusal is an {@link ApiException} whose details name each field, with
 * its index in a batch.
 */
final class SpecChecks {

    private final long maxPayloadBytes;

    SpecChecks(long maxPayloadBytes) {
        this.maxPayloadBytes = maxPayloadBytes;
    }

    /** The spec in {@code node}, the {@code index}-th of a batch (null for a single job). */
    JobSpec parse(JsonNode node, Integer index) {
        JobSpec spec;
        try {
            spec = JobSpecParser.parse(node);
        } catch (InvalidSpecException e) {
            List<Map<String, Object>> details =
                    e.errors().stream().map(f -> problem(index, f)).toList();
            String prefix = index == null ? "" : "jobs[" + index + "].";
            throw new ApiException(422, "invalid_spec", prefix + e.getMessage(), details);
        }
        var notYet = JobTypes.notRunnableYet(spec.type());
        if (notYet.isPresent()) {
            String where = index == null ? "type" : "jobs[" + index + "].type";
            throw new ApiException(
                    422,
                    "invalid_spec",
                    where + ": '" + spec.type() + "' jobs cannot run on this mesh: " + notYet.get(),
                    List.of(problem(
                            index, "type", "'" + spec.type() + "' jobs cannot run on this mesh: " + notYet.get())));
        }
        // In UTF-8 bytes, as stored and sent; a character count let 2-byte text through at twice the limit.
        long payloadBytes = Json.encodedLength(spec.payload());
        if (payloadBytes > maxPayloadBytes) {
            String where = index == null ? "payload" : "jobs[" + index + "].payload";
            throw new ApiException(
                    413,
                    "payload_too_large",
                    where + " is " + payloadBytes + " bytes; the limit is " + maxPayloadBytes,
                    List.of(problem(index, "payload", "is too large")));
        }
        return spec;
    }

    private static Map<String, Object> problem(Integer index, FieldError error) {
        return problem(index, error.field(), error.message());
    }

    /** One problem as the API lists it: {@code index} (in a batch), {@code field} and {@code message}. */
    static Map<String, Object> problem(Integer index, String field, String message) {
        Map<String, Object> problem = new LinkedHashMap<>();
        if (index != null) {
            problem.put("index", index);
        }
        problem.put("field", field);
        problem.put("message", message);
        return problem;
    }
}
