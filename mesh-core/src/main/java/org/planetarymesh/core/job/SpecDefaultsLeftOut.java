package org.planetarymesh.core.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.planetarymesh.core.json.Json;

/**
 * JSON for {@link JobSpec}s that leaves out every component at its default (scope, requirements, placement, retry,
 * depends_on): what a reader restores anyway, since {@link JobSpec}'s constructor and {@link JobSpecParser} fill the
 * same defaults. Used where specs are written in bulk: the store's job documents (rewritten on every transition) and
 * the SDK's submit bodies (~330 bytes of defaults per job otherwise, each parsed by the coordinator).
 */
public final class SpecDefaultsLeftOut {

    private static final ObjectMapper MAPPER = Json.mapper().copy().addMixIn(JobSpec.class, Mixin.class);

    private SpecDefaultsLeftOut() {}

    /** The shared mapper's settings, with a {@link JobSpec} written without its defaults; thread-safe. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * Jackson mix-in for {@link JobSpec}: a component equal to its default is not written. ({@code priority} is
     * always written: the shared mapper refuses a missing primitive.)
     */
    @SuppressWarnings("unused") // read reflectively by Jackson
    private abstract static class Mixin {
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
