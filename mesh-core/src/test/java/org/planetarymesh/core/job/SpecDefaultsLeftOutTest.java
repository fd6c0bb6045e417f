package org.planetarymesh.core.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.planetarymesh.core.json.Json;

/** Specs written without their defaults parse back, through the coordinator's own parser, to the same spec. */
class SpecDefaultsLeftOutTest {

    private static final List<String> DEFAULTED = List.of("scope", "requirements", "placement", "retry", "depends_on");

    @Test
    void aSpecOfDefaultsIsWrittenAsItsTypeAndPayloadAndParsesBackEqual() throws Exception {
        JobSpec spec = JobSpec.of("echo", JsonNodeFactory.instance.objectNode().put("n", 1));

        JsonNode written = SpecDefaultsLeftOut.mapper().valueToTree(spec);

        assertThat(written.has("type")).isTrue();
        assertThat(written.has("payload")).isTrue();
        for (String field : DEFAULTED) {
            assertThat(written.has(field)).as("%s in %s", field, written).isFalse();
        }
        assertThat(JobSpecParser.parse(written)).isEqualTo(spec);
        assertThat(Json.mapper().treeToValue(written, JobSpec.class)).isEqualTo(spec);
    }

    @Test
    void everyComponentAwayFromItsDefaultIsWrittenAndParsesBackEqual() throws Exception {
        JobSpec spec = JobSpec.of("infer", JsonNodeFactory.instance.textNode("hi"))
                .withPriority(7)
                .withDeadline(Instant.parse("2031-01-01T00:00:00Z"))
                .withTimeoutMs(5_000L)
                .withRequirements(new Requirements(List.of("gpu"), new Resources(2, 512, 1), Map.of("zone", "eu"), "m"))
                .withPlacement(new Placement(PlacementPolicy.BIN_PACK, null, null))
                .withRetry(new RetryPolicy(5, new Backoff(100, 3.0, 9_000, 0.5)))
                .withIdempotencyKey("order-7");

        JsonNode written = SpecDefaultsLeftOut.mapper().valueToTree(spec);

        for (String field : List.of("priority", "deadline", "timeout_ms", "requirements", "placement", "retry")) {
            assertThat(written.has(field)).as("%s in %s", field, written).isTrue();
        }
        assertThat(JobSpecParser.parse(written)).isEqualTo(spec);
    }
}
