package org.planetarymesh.store;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.planetarymesh.core.job.Attempt;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobError;
import org.planetarymesh.core.job.JobEvent;
import org.planetarymesh.core.job.JobSpec;
import org.planetarymesh.core.job.Placement;
import org.planetarymesh.core.job.Requirements;
import org.planetarymesh.core.job.RetryPolicy;
import org.planetarymesh.core.job.Routing;
import org.planetarymesh.core.job.Scope;
import org.planetarymesh.core.job.SpecDefaultsLeftOut;
import org.planetarymesh.core.json.IsoInstant;

/**
 * Writes the JSON the store keeps for jobs and events field by field on a streaming generator, the same JSON the
 * shared mapper would write ({@link SpecDefaultsLeftOut}'s settings: snake_case, nulls and spec defaults left out,
 * ISO-8601 instants), less what a reader restores: the routing record's winner and runners-up where the candidates
 * imply them ({@link Routing}), and an attempt's node where it is the job's ({@link Job}).
 *
 * <p>Why by hand: every transition rewrites its job's document, and a profile of the throughput bench showed Jackson's
 * bean serialiser (reflective record accessors, per-property writers) as a third of the coordinator's CPU. The rare
 * non-default spec parts (requirements, placement, retry) still go through the mapper. {@code DocumentWriterTest}
 * compares this writer's output with the mapper's, so a field added to a record and not here fails the build.
 */
final class DocumentWriter {

    private static final ObjectMapper MAPPER = SpecDefaultsLeftOut.mapper();

    private DocumentWriter() {}

    /** The stored document of {@code job}. */
    static String job(Job job) {
        return write(g -> writeJob(g, job), "job " + job.id());
    }

    /** The stored document of {@code event}, without its key ({@link EventDocument}). */
    static String event(JobEvent event) {
        return write(g -> writeEvent(g, event, null), "an event of job " + event.jobId());
    }

    /** The stored document of an END event that also stands for the STATUS event at {@code statusSeq}. */
    static String end(JobEvent end, long statusSeq) {
        return write(g -> writeEvent(g, end, statusSeq), "the end of job " + end.jobId());
    }

    /** What a document writes on the generator. */
    private interface Body {
        void writeTo(JsonGenerator g) throws IOException;
    }

    // As ObjectMapper.writeValueAsString does it: a pooled buffer recycler, released after the string is made.
    private static String write(Body body, String what) {
        BufferRecycler recycler = MAPPER.getFactory()._getBufferRecycler();
        try (SegmentedStringWriter out = new SegmentedStringWriter(recycler)) {
            try (JsonGenerator g = MAPPER.createGenerator(out)) {
                body.writeTo(g);
            }
            return out.getAndClear();
        } catch (IOException e) {
            throw new StoreException("could not serialise " + what + ": " + e.getMessage(), e);
        } finally {
            recycler.releaseToPool();
        }
    }

    private static void writeJob(JsonGenerator g, Job job) throws IOException {
        g.writeStartObject();
        string(g, "id", job.id());
        g.writeFieldName("spec");
        writeSpec(g, job.spec());
        string(g, "status", job.status().name());
        string(g, "node_id", job.nodeId());
        g.writeNumberField("attempt", job.attempt());
        g.writeNumberField("progress", job.progress());
        tree(g, "result", job.result());
        error(g, "error", job.error());
        instant(g, "created_at", job.createdAt());
        instant(g, "updated_at", job.updatedAt());
        instant(g, "started_at", job.startedAt());
        instant(g, "finished_at", job.finishedAt());
        instant(g, "not_before", job.notBefore());
        string(g, "receipt_cid", job.receiptCid());
        if (job.routing() != null) {
            g.writeFieldName("routing");
            writeRouting(g, job.routing());
        }
        g.writeArrayFieldStart("attempts");
        for (Attempt a : job.attempts()) {
            writeAttempt(g, a, job.nodeId());
        }
        g.writeEndArray();
        string(g, "owner", job.owner());
        g.writeEndObject();
    }

    private static void writeSpec(JsonGenerator g, JobSpec spec) throws IOException {
        g.writeStartObject();
        string(g, "type", spec.type());
        tree(g, "payload", spec.payload());
        if (spec.scope() != Scope.HYBRID) {
            string(g, "scope", spec.scope().name());
        }
        g.writeNumberField("priority", spec.priority());
        instant(g, "deadline", spec.deadline());
        if (spec.timeoutMs() != null) {
            g.writeNumberField("timeout_ms", spec.timeoutMs().longValue());
        }
        if (!Requirements.NONE.equals(spec.requirements())) {
            g.writeObjectField("requirements", spec.requirements());
        }
        if (!Placement.DEFAULT.equals(spec.placement())) {
            g.writeObjectField("placement", spec.placement());
        }
        if (!RetryPolicy.DEFAULT.equals(spec.retry())) {
            g.writeObjectField("retry", spec.retry());
        }
        string(g, "idempotency_key", spec.idempotencyKey());
        if (!spec.dependsOn().isEmpty()) {
            strings(g, "depends_on", spec.dependsOn());
        }
        string(g, "parent_id", spec.parentId());
        if (spec.budget() != null) {
            g.writeNumberField("budget", spec.budget().longValue());
        }
        g.writeEndObject();
    }

    private static void writeRouting(JsonGenerator g, Routing routing) throws IOException {
        g.writeStartObject();
        string(g, "policy", routing.policy());
        if (!routing.winnerImplied()) {
            string(g, "winner", routing.winner());
        }
        g.writeArrayFieldStart("candidates");
        for (Routing.Candidate c : routing.candidates()) {
            g.writeStartObject();
            string(g, "node_id", c.nodeId());
            if (c.score() != null) {
                g.writeNumberField("score", c.score().doubleValue());
            }
            string(g, "rejected_by", c.rejectedBy());
            g.writeEndObject();
        }
        g.writeEndArray();
        if (!routing.runnersUpImplied()) {
            strings(g, "runners_up", routing.runnersUp());
        }
        instant(g, "decided_at", routing.decidedAt());
        g.writeEndObject();
    }

    private static void writeAttempt(JsonGenerator g, Attempt a, String jobNode) throws IOException {
        g.writeStartObject();
        g.writeNumberField("number", a.number());
        if (!Objects.equals(a.nodeId(), jobNode)) {
            string(g, "node_id", a.nodeId());
        }
        instant(g, "started_at", a.startedAt());
        instant(g, "finished_at", a.finishedAt());
        string(g, "outcome", a.outcome());
        error(g, "error", a.error());
        string(g, "executor", a.executor());
        string(g, "route_rule", a.routeRule());
        g.writeEndObject();
    }

    private static void writeEvent(JsonGenerator g, JobEvent e, Long statusSeq) throws IOException {
        g.writeStartObject();
        string(g, "kind", e.kind() == null ? null : e.kind().name());
        if (statusSeq != null) {
            g.writeNumberField(EventDocument.STATUS_SEQ, statusSeq.longValue());
        }
        instant(g, "at", e.at());
        g.writeNumberField("attempt", e.attempt());
        string(g, "status", e.status() == null ? null : e.status().name());
        if (e.progress() != null) {
            g.writeNumberField("progress", e.progress().doubleValue());
        }
        string(g, "log", e.log());
        if (e.chunkSeq() != null) {
            g.writeNumberField("chunk_seq", e.chunkSeq().longValue());
        }
        string(g, "data", e.data());
        string(g, "stream", e.stream());
        error(g, "error", e.error());
        tree(g, "result", e.result());
        g.writeEndObject();
    }

    private static void error(JsonGenerator g, String name, JobError error) throws IOException {
        if (error != null) {
            g.writeObjectFieldStart(name);
            string(g, "code", error.code());
            string(g, "message", error.message());
            g.writeEndObject();
        }
    }

    private static void string(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    private static void strings(JsonGenerator g, String name, List<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }

    private static void instant(JsonGenerator g, String name, Instant at) throws IOException {
        if (at != null) {
            char[] quoted = IsoInstant.quoted(at);
            g.writeFieldName(name);
            g.writeRawValue(quoted, 0, quoted.length);
        }
    }

    private static void tree(JsonGenerator g, String name, JsonNode node) throws IOException {
        if (node != null) {
            g.writeFieldName(name);
            g.writeTree(node);
        }
    }
}
