package org.planetarymesh.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.util.List;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobSpec;
import org.planetarymesh.core.job.Placement;
import org.planetarymesh.core.job.Requirements;
import org.planetarymesh.core.job.RetryPolicy;
import org.planetarymesh.core.job.Scope;
import org.planetarymesh.core.json.Json;

/**
 * The JSON document the store keeps for a job: the API's representation of it, less the spec fields that hold their
 * defaults. Every transition rewrites the whole document, so the ~300 bytes of default scope, requirements,
 * placement and retry policy an ordinary job would carry cost WAL bytes on every write; {@link JobSpec}'s constructor
 * restores them when a document is read (documents written with them read the same).
 */
public final class JobDocument {

    private static final ObjectWriter WRITER = Json.mapper()
            .copy()
            .addMixIn(JobSpec.class, SpecDefaultsLeftOut.class)
            .writerFor(Job.class);
    private static final ObjectReader READER = Json.mapper().readerFor(Job.class);

    private JobDocument() {}

    /** The stored document of {@code job}. */
    public static String encode(Job job) {
        try {
            return WRITER.writeValueAsString(job);
        } catch (JsonProcessingException e) {
            throw new StoreException("could not serialise job " + job.id() + ": " + e.getMessage(), e);
        }
    }

    /** The job a stored document describes, defaults restored. */
    public static Job decode(String document) {
        try {
            return READER.readValue(document);
        } catch (JsonProcessingException e) {
            throw new StoreException("a stored job is not valid JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Jackson mix-in for {@link JobSpec}: a component equal to its default is not written. ({@code priority} is
     * always written: the shared mapper refuses a missing primitive.)
     */
    @SuppressWarnings("unused") // read reflectively by Jackson
    private abstract static class SpecDefaultsLeftOut {
        @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = DefaultScope.class)
        abstract Scope scope();

        @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = NoRequirements.class)
        abstract Requirements requirements();

        @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = DefaultPlacement.class)
        abstract Placement placement();

        @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = DefaultRetry.class)
        abstract RetryPolicy retry();

        @JsonInclude(JsonInclude.Include.NON_EMPTY)
        abstract List<String> dependsOn();
    }

    // Value filters: Jackson leaves a value out when the filter's equals(value) is true.

    private static final class DefaultScope {
        @Override
        public boolean equals(Object value) {
            return value == Scope.HYBRID;
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }

    private static final class NoRequirements {
        @Override
        public boolean equals(Object value) {
            return Requirements.NONE.equals(value);
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }

    private static final class DefaultPlacement {
        @Override
        public boolean equals(Object value) {
            return Placement.DEFAULT.equals(value);
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }

    private static final class DefaultRetry {
        @Override
        public boolean equals(Object value) {
            return RetryPolicy.DEFAULT.equals(value);
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }
}
