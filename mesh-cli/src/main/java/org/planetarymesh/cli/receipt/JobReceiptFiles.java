package org.planetarymesh.cli.receipt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.planetarymesh.client.JobEventStream;
import org.planetarymesh.client.MeshClient;
import org.planetarymesh.core.job.JobEvent;
import org.planetarymesh.core.receipt.OutputDigest;

/**
 * What a coordinator holds about one job's receipt: the answer of {@code GET /v1/jobs/{id}/receipt}, the job's spec
 * as the API shows it (what {@code spec_cid} hashes), and its output document (every chunk of the attempt the receipt
 * names, then the result: what {@code output_cid} hashes).
 */
record JobReceiptFiles(JsonNode answer, JsonNode spec, JsonNode output) {

    static JobReceiptFiles fetch(MeshClient client, String jobId, String segment) {
        JsonNode answer = client.getJson("/v1/jobs/" + segment + "/receipt");
        JsonNode job = client.getJson("/v1/jobs/" + segment);
        int attempt = answer.path("receipt").path("receipt").path("attempt").asInt();
        ObjectNode output = OutputDigest.document(job.get("result"));
        try (JobEventStream events = client.recordedEvents(jobId)) {
            events.forEachRemaining(event -> {
                if (event.kind() == JobEvent.Kind.CHUNK && event.attempt() == attempt) {
                    OutputDigest.addChunk(output, event.chunkSeq(), event.stream(), event.data());
                }
            });
        }
        return new JobReceiptFiles(answer, job.get("spec"), output);
    }
}
