package org.planetarymesh.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.planetarymesh.store.StoreFixtures.aJob;
import static org.planetarymesh.store.StoreFixtures.at;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.planetarymesh.core.job.Backoff;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobIds;
import org.planetarymesh.core.job.JobSpec;
import org.planetarymesh.core.job.Placement;
import org.planetarymesh.core.job.PlacementPolicy;
import org.planetarymesh.core.job.Requirements;
import org.planetarymesh.core.job.Resources;
import org.planetarymesh.core.job.RetryPolicy;
import org.planetarymesh.core.job.Scope;
import org.planetarymesh.core.json.Json;

/** The stored job document leaves the spec's defaults out and reads back to the same job, old documents included. */
class JobDocumentTest {

    @Test
    void anOrdinaryJobIsStoredWithoutItsSpecDefaultsAndReadsBackEqual() throws Exception {
        Job job = aJob();

        String stored = JobDocument.encode(job);

        JsonNode spec = Json.mapper().readTree(stored).path("spec");
        assertThat(spec.has("type")).isTrue();
        assertThat(spec.has("payload")).isTrue();
        for (String absent : List.of("scope", "requirements", "placement", "retry", "depends_on")) {
            assertThat(spec.has(absent)).as("spec.%s in %s", absent, stored).isFalse();
        }
        assertThat(stored.length())
                .isLessThan(Json.mapper().writeValueAsString(job).length() - 250);
        assertThat(JobDocument.decode(stored)).isEqualTo(job);
    }

    @Test
    void everyValueThatIsNotTheDefaultIsKept() throws Exception {
        String parent = JobIds.next();
        JobSpec spec = StoreFixtures.spec("infer", Scope.LOCAL)
                .withPriority(7)
                .withRequirements(new Requirements(List.of("gpu"), new Resources(2, 512, 1), Map.of("zone", "eu"), "m"))
                .withPlacement(new Placement(PlacementPolicy.BIN_PACK, null, null))
                .withRetry(new RetryPolicy(5, new Backoff(100, 3.0, 9_000, 0.5)))
                .withDependsOn(List.of(parent));
        Job job = Job.submitted(JobIds.next(), spec, at(0));

        String stored = JobDocument.encode(job);

        JsonNode written = Json.mapper().readTree(stored).path("spec");
        for (String kept : List.of("scope", "priority", "requirements", "placement", "retry", "depends_on")) {
            assertThat(written.has(kept)).as("spec.%s in %s", kept, stored).isTrue();
        }
        assertThat(JobDocument.decode(stored)).isEqualTo(job);
    }

    @Test
    void aDocumentWrittenWithEveryDefaultSpelledOutReadsTheSame() throws Exception {
        Job job = aJob();
        String old = Json.mapper().writeValueAsString(job); // how documents were stored before

        assertThat(Json.mapper().readTree(old).path("spec").has("retry")).isTrue();
        assertThat(JobDocument.decode(old)).isEqualTo(job);
    }
}
