package org.planetarymesh.core.job;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;

/** Reads a spec's {@code network} section, the properties of a job handed over by another mesh. */
final class NetworkParser {

    private static final Set<String> FIELDS =
            Set.of("issuer", "signature", "issued_at", "ttl_seconds", "hops", "max_hops", "reward");

    /** The most hops any job may be allowed: a mesh of meshes is shallow, and a loop must end soon. */
    static final int MAX_HOPS = 16;

    private NetworkParser() {}

    /** The network properties in {@code node}, or null when absent or unusable (problems go to {@code fields}). */
    static NetworkProps parse(JsonNode node, SpecFields fields) {
        if (!fields.objectOrAbsent(node, "network")) {
            return null;
        }
        fields.unknownFields(node, "network.", FIELDS);
        String issuer = fields.optionalText(node, "issuer", "network.issuer", 256);
        if (issuer == null) {
            fields.error("network.issuer", "is required: the did:key of the mesh link that forwards the job");
        } else if (!issuer.startsWith("did:key:")) {
            fields.error("network.issuer", "must be a did:key identifier");
        }
        String signature = fields.optionalText(node, "signature", "network.signature", 256);
        if (signature == null) {
            fields.error("network.signature", "is required: the issuer's base64 Ed25519 signature of the job");
        }
        Instant issuedAt = issuedAt(node, fields);
        Long ttl = fields.longInRange(node, "ttl_seconds", "network.ttl_seconds", 1, 86_400 * 7);
        Integer hops = fields.intInRange(node, "hops", "network.hops", 1, MAX_HOPS);
        Integer maxHops = fields.intInRange(node, "max_hops", "network.max_hops", 1, MAX_HOPS);
        Long reward = fields.longInRange(node, "reward", "network.reward", 0, Long.MAX_VALUE);
        if (hops == null || maxHops == null || ttl == null) {
            if (hops == null && !node.hasNonNull("hops")) {
                fields.error("network.hops", "is required (1 on the first mesh it is handed to)");
            }
            if (maxHops == null && !node.hasNonNull("max_hops")) {
                fields.error("network.max_hops", "is required");
            }
            if (ttl == null && !node.hasNonNull("ttl_seconds")) {
                fields.error("network.ttl_seconds", "is required");
            }
            return null;
        }
        if (hops > maxHops) {
            fields.error("network.hops", "is " + hops + ", past max_hops " + maxHops + ": the job went too far");
        }
        return new NetworkProps(issuer, signature, issuedAt, ttl, hops, maxHops, reward == null ? 0 : reward);
    }

    private static Instant issuedAt(JsonNode node, SpecFields fields) {
        JsonNode value = node.get("issued_at");
        if (value == null || value.isNull()) {
            fields.error("network.issued_at", "is required: when the issuer forwarded the job (ISO-8601)");
            return null;
        }
        try {
            return Instant.parse(value.asText());
        } catch (DateTimeParseException e) {
            fields.error("network.issued_at", "must be an ISO-8601 instant such as 2030-01-01T00:00:00Z");
            return null;
        }
    }
}
