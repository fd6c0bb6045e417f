package org.planetarymesh.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobSpec;
import org.planetarymesh.core.job.SpecDefaultsLeftOut;
import org.planetarymesh.core.json.Json;

/**
 * The JSON document the store keeps for a job: the API's representation of it, less the spec fields that hold their
 * defaults ({@link SpecDefaultsLeftOut}). Every transition rewrites the whole document, so the ~260 bytes of default
 * scope, requirements, placement and retry policy an ordinary job would carry cost WAL bytes on every write;
 * {@link JobSpec}'s constructor restores them when a document is read (documents written with them read the same).
 * {@link DocumentWriter} writes it; the shared mapper reads it.
 */
public final class JobDocument {

    private static final ObjectReader READER = Json.mapper().readerFor(Job.class);

    private JobDocument() {}

    /** The stored document of {@code job}. */
    public static String encode(Job job) {
        return DocumentWriter.job(job);
    }

    /** The job a stored document describes, defaults restored. */
    public static Job decode(String document) {
        try {
            return READER.readValue(document);
        } catch (JsonProcessingException e) {
            throw new StoreException("a stored job is not valid JSON: " + e.getMessage(), e);
        }
    }
}
