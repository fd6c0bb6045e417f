package org.planetarymesh.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.planetarymesh.core.job.Attempt;
import org.planetarymesh.core.job.Backoff;
import org.planetarymesh.core.job.ErrorCode;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobError;
import org.planetarymesh.core.job.JobSpec;
import org.planetarymesh.core.job.JobSpecParser;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.job.Placement;
import org.planetarymesh.core.job.PlacementPolicy;
import org.planetarymesh.core.job.Requirements;
import org.planetarymesh.core.job.Resources;
import org.planetarymesh.core.job.RetryPolicy;
import org.planetarymesh.core.job.Routing;
import org.planetarymesh.core.job.Scope;

/** {@link Job} and {@link JobSpec} survive {@link Json#mapper()} unchanged, under their snake_case wire names. */
class JsonRoundTripTest {

    private static final ObjectMapper MAPPER = Json.mapper();
    private static final String ID = "01890a5d-ac96-7ab2-80e2-4536629c90de";
    private static final String DEP = "01890a5d-ac96-7ab2-80e2-4536629c90df";
    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    static JobSpec aFullSpec() {
        return new JobSpec(
                "inference",
                JsonNodeFactory.instance.objectNode().put("prompt", "hi").put("temperature", 0.7),
                Scope.NETWORK,
                5,
                T0.plusSeconds(3600),
                30_000L,
                new Requirements(List.of("gpu", "llm"), new Resources(2.5, 4096, 1), Map.of("zone", "eu"), "llama3"),
                new Placement(PlacementPolicy.LEAST_LOADED, 2_000L, 50L),
                new RetryPolicy(5, new Backoff(100, 3.0, 9_000, 0.5)),
                "order-7",
                List.of(DEP),
                DEP,
                100L,
                T0.plusSeconds(60));
    }

    static Job aFullJob() {
        JobError lost = new JobError(ErrorCode.NODE_LOST, "node-a stopped heartbeating");
        Routing routing = new Routing(
                "least-loaded",
                "node-b",
                List.of(new Routing.Candidate("node-b", 0.9, null), new Routing.Candidate("node-c", null, "no gpu")),
                List.of("node-a"),
                T0.plusSeconds(10));
        return Job.builder(ID, aFullSpec())
                .status(JobStatus.COMPLETED)
                .nodeId("node-b")
                .attempt(2)
                .progress(1.0)
                .result(JsonNodeFactory.instance.objectNode().put("text", "hello"))
                .createdAt(T0)
                .updatedAt(T0.plusSeconds(20))
                .startedAt(T0.plusSeconds(1))
                .finishedAt(T0.plusSeconds(20))
                .notBefore(T0.plusSeconds(9))
                .receiptCid("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku")
                .routing(routing)
                .attempts(List.of(
                        new Attempt(1, "node-a", T0.plusSeconds(1), T0.plusSeconds(5), "failed", lost),
                        new Attempt(2, "node-b", T0.plusSeconds(10), T0.plusSeconds(20), "completed", null)))
                .build();
    }

    @Test
    void aJobSpecRoundTripsWithSnakeCaseNames() throws Exception {
        JsonNode tree = MAPPER.valueToTree(aFullSpec());

        assertThat(tree.get("timeout_ms").asLong()).isEqualTo(30_000);
        assertThat(tree.get("idempotency_key").asText()).isEqualTo("order-7");
        assertThat(tree.get("depends_on").get(0).asText()).isEqualTo(DEP);
        assertThat(tree.get("parent_id").asText()).isEqualTo(DEP);
        assertThat(tree.at("/retry/max_attempts").asInt()).isEqualTo(5);
        assertThat(tree.at("/retry/backoff/initial_ms").asLong()).isEqualTo(100);
        assertThat(tree.at("/retry/backoff/max_ms").asLong()).isEqualTo(9_000);
        assertThat(tree.at("/requirements/resources/memory_mb").asLong()).isEqualTo(4096);
        assertThat(tree.at("/placement/policy").asText()).isEqualTo("least-loaded");
        assertThat(tree.at("/placement/window_ms").asLong()).isEqualTo(2_000);
        assertThat(tree.at("/placement/max_price").asLong()).isEqualTo(50);
        assertThat(tree.get("deadline").asText()).isEqualTo("2030-01-01T01:00:00Z");
        assertThat(tree.get("scope").asText()).isEqualTo("NETWORK");

        String json = MAPPER.writeValueAsString(aFullSpec());
        assertThat(MAPPER.readValue(json, JobSpec.class)).isEqualTo(aFullSpec());
    }

    @Test
    void aSerialisedSpecIsAcceptedByTheParserAsTheSameSpec() {
        // what the API returns for a job can be submitted again as-is
        assertThat(JobSpecParser.parse(MAPPER.valueToTree(aFullSpec()), T0)).isEqualTo(aFullSpec());
        JobSpec minimal = JobSpec.of("echo", null);
        assertThat(JobSpecParser.parse(MAPPER.valueToTree(minimal))).isEqualTo(minimal);
    }

    @Test
    void aJobRoundTripsWithItsStateAttemptsAndRouting() throws Exception {
        JsonNode tree = MAPPER.valueToTree(aFullJob());

        assertThat(tree.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(tree.get("node_id").asText()).isEqualTo("node-b");
        assertThat(tree.get("finished_at").asText()).isEqualTo("2030-01-01T00:00:20Z");
        assertThat(tree.get("receipt_cid").asText()).startsWith("bafk");
        assertThat(tree.at("/spec/timeout_ms").asLong()).isEqualTo(30_000);
        assertThat(tree.at("/attempts/0/node_id").asText()).isEqualTo("node-a");
        assertThat(tree.at("/attempts/0/error/code").asText()).isEqualTo("node_lost");
        assertThat(tree.at("/routing/runners_up/0").asText()).isEqualTo("node-a");
        assertThat(tree.at("/routing/candidates/1/rejected_by").asText()).isEqualTo("no gpu");
        assertThat(tree.has("error")).as("nulls are omitted").isFalse();

        String json = MAPPER.writeValueAsString(aFullJob());
        assertThat(MAPPER.readValue(json, Job.class)).isEqualTo(aFullJob());
    }

    @Test
    void aJustSubmittedJobRoundTrips() throws Exception {
        Job job = Job.submitted(ID, JobSpec.of("echo", JsonNodeFactory.instance.textNode("hi")), T0);

        assertThat(MAPPER.readValue(MAPPER.writeValueAsString(job), Job.class)).isEqualTo(job);
    }

    @Test
    void everyPlacementPolicyHasItsKebabCaseWireName() throws Exception {
        for (PlacementPolicy policy : PlacementPolicy.values()) {
            String wire = MAPPER.writeValueAsString(policy);
            assertThat(wire)
                    .isEqualTo('"'
                            + policy.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
                            + '"');
            assertThat(MAPPER.readValue(wire, PlacementPolicy.class)).isEqualTo(policy);
        }
    }
}
