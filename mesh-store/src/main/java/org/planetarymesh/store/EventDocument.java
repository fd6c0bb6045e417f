package org.planetarymesh.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.planetarymesh.core.job.JobEvent;
import org.planetarymesh.core.json.Json;

/**
 * The JSON document the store keeps for a job event: the event as the API shows it, less its key. {@code job_id} and
 * {@code seq} are the row's own columns, so repeating them in the document cost ~70 of an echo event's ~160 bytes on
 * every append (four per job); they are put back when the document is read. Documents written with them (before
 * this change) read the same, the columns winning.
 *
 * <p>A job's terminal STATUS event and its END ({@link JobStore.Write.AppendEnd}) are one row: the END's document
 * with {@value #STATUS_SEQ}, the seq of the STATUS event it stands for, which reading puts back in front of it.
 */
final class EventDocument {

    private static final ObjectMapper MAPPER = Json.mapper();

    /** The field of an END event's document that names the STATUS event stored with it. */
    static final String STATUS_SEQ = "status_seq";

    private EventDocument() {}

    /** The stored document of {@code event}: every field but {@code job_id} and {@code seq}. */
    static String encode(JobEvent event) {
        return DocumentWriter.event(event);
    }

    /** The one stored document of a terminal STATUS event and the END that follows it. */
    static String encode(JobStore.Write.AppendEnd pair) {
        return DocumentWriter.end(pair.end(), pair.status().seq());
    }

    /**
     * Adds the events a stored row describes to {@code out}, its key taken from the row: one, or for an END stored
     * with its STATUS event that one first, unless its seq is not after {@code afterSeq}.
     */
    static void decode(String jobId, long seq, String document, long afterSeq, List<JobEvent> out) {
        String what = "stored event " + seq + " of job " + jobId;
        try {
            if (!(MAPPER.readTree(document) instanceof ObjectNode tree)) {
                throw new StoreException(what + " is not a JSON object: " + document);
            }
            JsonNode statusSeq = tree.remove(STATUS_SEQ);
            tree.put("job_id", jobId);
            tree.put("seq", seq);
            JobEvent event = MAPPER.treeToValue(tree, JobEvent.class);
            if (statusSeq != null && statusSeq.asLong() > afterSeq) {
                out.add(JobEvent.terminalStatus(event, statusSeq.asLong()));
            }
            out.add(event);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new StoreException(what + " is not a stored event: " + e.getMessage(), e);
        }
    }
}
