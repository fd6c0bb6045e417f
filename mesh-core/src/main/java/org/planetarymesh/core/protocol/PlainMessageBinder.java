package org.planetarymesh.core.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Builds the per-job messages ({@code assign_job}, {@code job_accepted}, {@code job_done}) straight from their parsed
 * tree, for the common case of a frame whose every field has its plain JSON type; for anything else it answers
 * {@code null} and {@link MessageCodec} binds the tree with the strict mapper, which also words the errors. What it
 * builds equals what the mapper builds ({@code PlainMessageBinderTest} compares the two).
 *
 * <p>Why: one of each crosses a link per job, and the mapper's record binding (a token stream over the tree, a
 * property-based creator per record) was most of their decoding cost on both ends, and one of the largest methods
 * the JIT kept recompiling.
 */
final class PlainMessageBinder {

    private PlainMessageBinder() {}

    /** The message of {@code type} in {@code tree} (an object whose required fields are present), or null. */
    static Message bind(String type, JsonNode tree) {
        return switch (type) {
            case "job_done" -> jobDone(tree);
            case "assign_job" -> assignJob(tree);
            case "job_accepted" -> jobAccepted(tree);
            default -> null;
        };
    }

    private static Message jobDone(JsonNode t) {
        JsonNode jobId = t.get("job_id");
        JsonNode attempt = t.get("attempt");
        JsonNode duration = t.get("duration_ms");
        JsonNode executor = t.get("executor");
        JsonNode routeRule = t.get("route_rule");
        if (!text(jobId)
                || !attempt.isInt()
                || !absent(t.get("tokens"))
                || !optionalLong(duration)
                || !optionalText(executor)
                || !optionalText(routeRule)) {
            return null;
        }
        return new Message.JobDone(
                jobId.textValue(),
                attempt.intValue(),
                t.get("result"),
                null,
                absent(duration) ? 0 : duration.longValue(),
                textOrNull(executor),
                textOrNull(routeRule),
                t.get("receipt"));
    }

    private static Message assignJob(JsonNode t) {
        JsonNode jobId = t.get("job_id");
        JsonNode attempt = t.get("attempt");
        JsonNode jobType = t.get("job_type");
        JsonNode timeout = t.get("timeout_ms");
        JsonNode assignmentId = t.get("assignment_id");
        JsonNode specCid = t.get("spec_cid");
        if (!text(jobId)
                || !attempt.isInt()
                || !text(jobType)
                || !absent(t.get("deadline"))
                || !optionalLong(timeout)
                || !optionalText(assignmentId)
                || !optionalText(specCid)
                || !absent(t.get("forward"))) {
            return null;
        }
        return new Message.AssignJob(
                jobId.textValue(),
                attempt.intValue(),
                jobType.textValue(),
                t.get("payload"),
                null,
                absent(timeout) ? null : timeout.longValue(),
                textOrNull(assignmentId),
                textOrNull(specCid));
    }

    private static Message jobAccepted(JsonNode t) {
        JsonNode jobId = t.get("job_id");
        JsonNode attempt = t.get("attempt");
        if (!text(jobId) || !attempt.isInt()) {
            return null;
        }
        return new Message.JobAccepted(jobId.textValue(), attempt.intValue());
    }

    private static boolean absent(JsonNode value) {
        return value == null || value.isNull();
    }

    private static boolean text(JsonNode value) {
        return value != null && value.isTextual();
    }

    private static boolean optionalText(JsonNode value) {
        return absent(value) || value.isTextual();
    }

    // A JSON integer within long range: what the mapper binds to a long without complaint.
    private static boolean optionalLong(JsonNode value) {
        return absent(value) || value.isInt() || value.isLong();
    }

    private static String textOrNull(JsonNode value) {
        return absent(value) ? null : value.textValue();
    }
}
