package org.planetarymesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.planetarymesh.core.job.Verify;

/**
 * The replicas section of {@code mesh job ID} for a verified job: the quorum asked for, then one line per replica
 * with its job, node, status, output CID and verdict.
 */
final class ReplicaDetail {

    private ReplicaDetail() {}

    static String render(Verify verify, JsonNode replicas) {
        StringBuilder out = new StringBuilder();
        out.append("\nReplicas (")
                .append(verify.quorum())
                .append(" of ")
                .append(verify.replicas())
                .append(" must agree)\n");
        out.append(String.format(
                "  %-3s %-36s %-22s %-10s %-10s %s%n", "#", "JOB", "NODE", "STATUS", "VERDICT", "OUTPUT"));
        for (JsonNode r : replicas) {
            out.append(String.format(
                    "  %-3s %-36s %-22s %-10s %-10s %s%n",
                    r.path("replica").asText(),
                    r.path("job_id").asText(),
                    shortNode(r.path("node_id").asText("-")),
                    r.path("status").asText(),
                    r.path("verdict").asText("-"),
                    r.path("output_cid").asText("-")));
        }
        return out.toString();
    }

    private static String shortNode(String node) {
        return node.length() > 22 ? node.substring(0, 12) + "…" + node.substring(node.length() - 9) : node;
    }
}
