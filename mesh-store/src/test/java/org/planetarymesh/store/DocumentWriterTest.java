package org.planetarymesh.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.planetarymesh.core.job.Attempt;
import org.planetarymesh.core.job.AuctionRecord;
import org.planetarymesh.core.job.Backoff;
import org.planetarymesh.core.job.BidSelection;
import org.planetarymesh.core.job.ErrorCode;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobError;
import org.planetarymesh.core.job.JobEvent;
import org.planetarymesh.core.job.JobIds;
import org.planetarymesh.core.job.JobSpec;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.job.Placement;
import org.planetarymesh.core.job.PlacementPolicy;
import org.planetarymesh.core.job.Requirements;
import org.planetarymesh.core.job.Resources;
import org.planetarymesh.core.job.RetryPolicy;
import org.planetarymesh.core.job.Routing;
import org.planetarymesh.core.job.Scope;
import org.planetarymesh.core.job.SpecDefaultsLeftOut;
import org.planetarymesh.core.json.Json;

/**
 * The hand-written document writer writes what the mapper would: the same JSON tree for jobs and events in every
 * shape, and a fixture with every record component set, so a component added later and not written fails here.
 */
class DocumentWriterTest {

    private static final Instant T = Instant.parse("2030-01-01T00:00:00.123456Z");

    @Test
    void aFreshEchoJobIsWrittenAsTheMapperWritesIt() throws Exception {
        Job job = Job.submitted(JobIds.next(), JobSpec.of("echo", payload()), T);

        assertSameAsMapper(job);
    }

    @Test
    void aJobWithEveryComponentSetIsWrittenAsTheMapperWritesIt() throws Exception {
        Job job = everything();

        JsonNode written = assertSameAsMapper(job);

        assertThat(written.size()).isEqualTo(Job.class.getRecordComponents().length);
        assertThat(written.path("spec").size()).isEqualTo(JobSpec.class.getRecordComponents().length);
        assertThat(written.path("routing").size()).isEqualTo(Routing.class.getRecordComponents().length);
        assertThat(written.path("routing").path("candidates").get(1).size())
                .isEqualTo(Routing.Candidate.class.getRecordComponents().length);
        assertThat(written.path("attempts").get(0).size()).isEqualTo(Attempt.class.getRecordComponents().length);
        assertThat(JobDocument.decode(JobDocument.encode(job))).isEqualTo(job);
    }

    @Test
    void specDefaultsAreLeftOutAndEmptyListsKept() throws Exception {
        Job job = Job.submitted(JobIds.next(), JobSpec.of("echo", null), T);

        JsonNode written = assertSameAsMapper(job);

        assertThat(written.path("spec").has("retry")).isFalse();
        assertThat(written.path("spec").path("payload").isNull()).isTrue();
        assertThat(written.path("attempts").isArray()).isTrue();
    }

    @Test
    void whatThePlacementAndTheJobImplyIsLeftOutAndRestoredOnRead() throws Exception {
        Job queued = Job.submitted(JobIds.next(), JobSpec.of("echo", payload()), T);
        Routing placed = new Routing(
                "least-loaded",
                "did:key:a",
                List.of(
                        new Routing.Candidate("did:key:a", 1.0, null),
                        new Routing.Candidate("did:key:b", 0.5, null),
                        new Routing.Candidate("did:key:c", 0.25, null),
                        new Routing.Candidate("did:key:x", null, "refused this job earlier")),
                List.of("did:key:b", "did:key:c"),
                T);
        Job done = queued.assign("did:key:a", placed, T)
                .endAttempt(JobStatus.COMPLETED, "COMPLETED", payload(), null, null, T.plusMillis(1));

        String document = DocumentWriter.job(done);
        JsonNode written = Json.mapper().readTree(document);

        assertThat(written.path("routing").has("winner")).isFalse();
        assertThat(written.path("routing").has("runners_up")).isFalse();
        assertThat(written.path("attempts").get(0).has("node_id")).isFalse();
        assertThat(JobDocument.decode(document)).isEqualTo(done);
        assertThat(JobDocument.decode(document).routing().runnersUp()).containsExactly("did:key:b", "did:key:c");
        // With a single eligible node there are no runners-up to restore.
        Routing alone = new Routing(
                "least-loaded", "did:key:a", List.of(new Routing.Candidate("did:key:a", 1.0, null)), List.of(), T);
        assertThat(JobDocument.decode(DocumentWriter.job(queued.assign("did:key:a", alone, T)))
                        .routing())
                .isEqualTo(alone);
    }

    @Test
    void everyKindOfEventIsWrittenAsTheMapperWritesIt() throws Exception {
        Job done = everything();
        List<JobEvent> events = List.of(
                JobEvent.status(done, 1),
                JobEvent.end(done, 2),
                JobEvent.progress(done.id(), 3, T, 1, 0.25, "a quarter"),
                JobEvent.chunk(done.id(), 4, T, 1, 9, "aGk=", "stdout"),
                new JobEvent(
                        done.id(),
                        5,
                        JobEvent.Kind.END,
                        T,
                        2,
                        JobStatus.FAILED,
                        1.0,
                        "log",
                        3L,
                        "ZGF0YQ==",
                        "stderr",
                        new JobError("timeout", "too slow"),
                        payload()));

        for (JobEvent e : events) {
            ObjectNode expected =
                    (ObjectNode) Json.mapper().readTree(Json.mapper().writeValueAsString(e));
            // The key is the row's (EventDocument): the document leaves it out.
            expected.remove(List.of("job_id", "seq"));
            assertThat(Json.mapper().readTree(DocumentWriter.event(e)))
                    .as("%s", e)
                    .isEqualTo(expected);
        }
        assertThat(Json.mapper()
                        .readTree(DocumentWriter.event(events.getLast()))
                        .size())
                .isEqualTo(JobEvent.class.getRecordComponents().length - 2);
    }

    /**
     * Stored documents are compared byte for byte across versions (a re-measurement of the writer compares code, not
     * sizes; rows written before a change still read the same): the exact text for a fixed job is kept in resources.
     */
    @Test
    void theStoredBytesOfAFullJobAndItsEndEventStayTheSame() throws Exception {
        Job job = everything(
                "018f0000-0000-7000-8000-000000000001",
                "018f0000-0000-7000-8000-000000000002",
                "018f0000-0000-7000-8000-000000000003");

        assertThat(DocumentWriter.job(job)).isEqualTo(resource("stored/job-with-every-field.json"));
        assertThat(DocumentWriter.end(JobEvent.end(job, 9), 8))
                .isEqualTo(resource("stored/end-event-with-status-seq.json"));
    }

    private static JsonNode assertSameAsMapper(Job job) throws Exception {
        JsonNode expected = Json.mapper().readTree(SpecDefaultsLeftOut.mapper().writeValueAsString(job));
        JsonNode written = Json.mapper().readTree(DocumentWriter.job(job));
        assertThat(written).isEqualTo(expected);
        return written;
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = DocumentWriterTest.class.getResourceAsStream("/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
    }

    private static JsonNode payload() {
        return JsonNodeFactory.instance
                .objectNode()
                .put("message", "h\u00e9llo \"quoted\"\n")
                .put("n", 1.5)
                .set(
                        "list",
                        JsonNodeFactory.instance.arrayNode().add(1).add("two").addNull());
    }

    private static Job everything() {
        return everything(JobIds.next(), JobIds.next(), JobIds.next());
    }

    private static Job everything(String id, String dependency, String parent) {
        JobSpec spec = new JobSpec(
                "infer",
                payload(),
                Scope.LOCAL,
                7,
                T.plusSeconds(60),
                5_000L,
                new Requirements(List.of("gpu"), new Resources(2, 512, 1), Map.of("zone", "eu"), "m", 0.5),
                new Placement(PlacementPolicy.BIN_PACK, 10L, 20L, BidSelection.BEST_VALUE),
                new RetryPolicy(5, new Backoff(100, 3.0, 9_000, 0.5)),
                "key-1",
                List.of(dependency),
                parent,
                42L,
                T.plusSeconds(30),
                new org.planetarymesh.core.job.Verify(3, 2),
                new org.planetarymesh.core.job.NetworkProps("did:key:z6Mkissuer", "c2ln", T, 3600, 1, 2, 5));
        // Neither the winner nor the runners-up are the ones the candidates imply, and the attempt ran elsewhere than
        // the job's node: every component is written.
        Routing routing = new Routing(
                "least-loaded",
                "did:key:a",
                List.of(
                        new Routing.Candidate("did:key:d", 0.75, null),
                        new Routing.Candidate("did:key:b", 0.0, "full")),
                List.of("did:key:c"),
                T,
                new AuctionRecord(
                        "bids",
                        "best_value",
                        2,
                        20L,
                        7L,
                        List.of(new AuctionRecord.Bid("did:key:d", 2, 7L, 30L, 0.75, 0.9, "won", "cheapest")),
                        T.minusMillis(2)),
                "model tiny is loaded on did:key:a",
                new org.planetarymesh.core.job.RouteDecision(
                        "fleet",
                        "escalated to the network: local node did:key:l: missing capability gpu",
                        List.of(new org.planetarymesh.core.job.RouteDecision.Alternative(
                                "local", List.of("did:key:l"), "missing capability gpu"))));
        Attempt attempt = new Attempt(
                1,
                "did:key:e",
                T,
                T.plusMillis(3),
                "FAILED",
                new JobError(ErrorCode.INTERNAL, "boom"),
                "echo",
                "exact",
                true,
                1_048_576L);
        return Job.builder(id, spec)
                .status(JobStatus.COMPLETED)
                .nodeId("did:key:a")
                .attempt(2)
                .progress(0.5)
                .result(payload())
                .error(new JobError(ErrorCode.EXECUTOR_ERROR, "bad"))
                .createdAt(T)
                .updatedAt(T.plusMillis(1))
                .startedAt(T.plusMillis(2))
                .finishedAt(T.plusMillis(3))
                .notBefore(T.plusMillis(4))
                .receiptCid("bafyreceipt")
                .routing(routing)
                .attempts(List.of(attempt))
                .owner("token-1")
                .build();
    }
}
