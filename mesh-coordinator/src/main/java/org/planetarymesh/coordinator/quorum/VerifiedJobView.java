package org.planetarymesh.coordinator.quorum;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.store.StoredReplica;

/** A verified job as {@code GET /v1/jobs/{id}} shows it: the job, and its {@code replicas} with their verdicts. */
public final class VerifiedJobView {

    private VerifiedJobView() {}

    /** {@code job} as JSON with a {@code replicas} array of {@code stored}, in replica order. */
    public static ObjectNode of(Job job, List<StoredReplica> stored) {
        ObjectNode body = Json.mapper().valueToTree(job);
        ArrayNode replicas = body.putArray("replicas");
        for (StoredReplica row : stored) {
            try {
                replicas.add(Json.mapper().readTree(row.document()));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(
                        "replica " + row.replica() + " of job " + job.id() + " is unreadable", e);
            }
        }
        return body;
    }
}
