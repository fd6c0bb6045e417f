package org.planetarymesh.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.planetarymesh.core.job.JobEvent;
import org.planetarymesh.core.json.Json;

/**
 * The JSON document the store keeps for a job event: the event as the API shows it, less its key. {@code job_id} and
 * {@code seq} are the row's own columns, so repeating them in the document cost ~70 of an echo event's ~160 bytes on
 * every append (four per job); they are put back when the document is read. Documents written with them (before
 * this change) read the same, the columns winning.
 */
final class EventDocument {

    private static final ObjectMapper MAPPER = Json.mapper();

    private EventDocument() {}

    /** The stored document of {@code event}: every field but {@code job_id} and {@code seq}. */
    static String encode(JobEvent event) {
        return DocumentWriter.event(event);
    }

    /** The event a stored document describes, its key taken from the row. */
    static JobEvent decode(String jobId, long seq, String document) {
        String what = "stored event " + seq + " of job " + jobId;
        try {
            if (!(MAPPER.readTree(document) instanceof ObjectNode tree)) {
                throw new StoreException(what + " is not a JSON object: " + document);
            }
            tree.put("job_id", jobId);
            tree.put("seq", seq);
            return MAPPER.treeToValue(tree, JobEvent.class);
        } catch (JsonProcessingException e) {
            throw new StoreException(what + " is not a JSON object: " + e.getMessage(), e);
        }
    }
}
