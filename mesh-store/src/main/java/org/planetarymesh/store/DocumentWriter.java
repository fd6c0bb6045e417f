package org.planetarymesh.store;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
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
        string(g, Name.ID, job.id());
        name(g, Name.SPEC);
        writeSpec(g, job.spec());
        string(g, Name.STATUS, job.status().name());
        string(g, Name.NODE_ID, job.nodeId());
        number(g, Name.ATTEMPT, job.attempt());
        number(g, Name.PROGRESS, job.progress());
        tree(g, Name.RESULT, job.result());
        error(g, Name.ERROR, job.error());
        instant(g, Name.CREATED_AT, job.createdAt());
        instant(g, Name.UPDATED_AT, job.updatedAt());
        instant(g, Name.STARTED_AT, job.startedAt());
        instant(g, Name.FINISHED_AT, job.finishedAt());
        instant(g, Name.NOT_BEFORE, job.notBefore());
        string(g, Name.RECEIPT_CID, job.receiptCid());
        if (job.routing() != null) {
            name(g, Name.ROUTING);
            writeRouting(g, job.routing());
        }
        name(g, Name.ATTEMPTS);
        g.writeStartArray();
        for (Attempt a : job.attempts()) {
            writeAttempt(g, a, job.nodeId());
        }
        g.writeEndArray();
        string(g, Name.OWNER, job.owner());
        g.writeEndObject();
    }

    private static void writeSpec(JsonGenerator g, JobSpec spec) throws IOException {
        g.writeStartObject();
        string(g, Name.TYPE, spec.type());
        tree(g, Name.PAYLOAD, spec.payload());
        if (spec.scope() != Scope.HYBRID) {
            string(g, Name.SCOPE, spec.scope().name());
        }
        number(g, Name.PRIORITY, spec.priority());
        instant(g, Name.DEADLINE, spec.deadline());
        if (spec.timeoutMs() != null) {
            number(g, Name.TIMEOUT_MS, spec.timeoutMs().longValue());
        }
        if (!Requirements.NONE.equals(spec.requirements())) {
            object(g, Name.REQUIREMENTS, spec.requirements());
        }
        if (!Placement.DEFAULT.equals(spec.placement())) {
            object(g, Name.PLACEMENT, spec.placement());
        }
        if (!RetryPolicy.DEFAULT.equals(spec.retry())) {
            object(g, Name.RETRY, spec.retry());
        }
        string(g, Name.IDEMPOTENCY_KEY, spec.idempotencyKey());
        if (!spec.dependsOn().isEmpty()) {
            strings(g, Name.DEPENDS_ON, spec.dependsOn());
        }
        string(g, Name.PARENT_ID, spec.parentId());
        if (spec.budget() != null) {
            number(g, Name.BUDGET, spec.budget().longValue());
        }
        instant(g, Name.RUN_AT, spec.runAt());
        if (spec.verify() != null) {
            object(g, Name.VERIFY, spec.verify());
        }
        if (spec.network() != null) {
            object(g, Name.NETWORK, spec.network()); // jobs from another mesh only
        }
        g.writeEndObject();
    }

    private static void writeRouting(JsonGenerator g, Routing routing) throws IOException {
        g.writeStartObject();
        string(g, Name.POLICY, routing.policy());
        if (!routing.winnerImplied()) {
            string(g, Name.WINNER, routing.winner());
        }
        name(g, Name.CANDIDATES);
        g.writeStartArray();
        for (Routing.Candidate c : routing.candidates()) {
            g.writeStartObject();
            string(g, Name.NODE_ID, c.nodeId());
            if (c.score() != null) {
                number(g, Name.SCORE, c.score().doubleValue());
            }
            string(g, Name.REJECTED_BY, c.rejectedBy());
            g.writeEndObject();
        }
        g.writeEndArray();
        if (!routing.runnersUpImplied()) {
            strings(g, Name.RUNNERS_UP, routing.runnersUp());
        }
        instant(g, Name.DECIDED_AT, routing.decidedAt());
        if (routing.auction() != null) {
            object(g, Name.AUCTION, routing.auction()); // auctioned jobs only: the mapper's cost is no matter there
        }
        string(g, Name.REASON, routing.reason());
        if (routing.route() != null) {
            object(g, Name.ROUTE, routing.route());
        }
        g.writeEndObject();
    }

    private static void writeAttempt(JsonGenerator g, Attempt a, String jobNode) throws IOException {
        g.writeStartObject();
        number(g, Name.NUMBER, a.number());
        if (!Objects.equals(a.nodeId(), jobNode)) {
            string(g, Name.NODE_ID, a.nodeId());
        }
        instant(g, Name.STARTED_AT, a.startedAt());
        instant(g, Name.FINISHED_AT, a.finishedAt());
        string(g, Name.OUTCOME, a.outcome());
        error(g, Name.ERROR, a.error());
        string(g, Name.EXECUTOR, a.executor());
        string(g, Name.ROUTE_RULE, a.routeRule());
        if (a.outputTruncated() != null) {
            g.writeFieldName(Name.OUTPUT_TRUNCATED.json);
            g.writeBoolean(a.outputTruncated());
        }
        if (a.outputCapBytes() != null) {
            number(g, Name.OUTPUT_CAP_BYTES, a.outputCapBytes().longValue());
        }
        g.writeEndObject();
    }

    private static void writeEvent(JsonGenerator g, JobEvent e, Long statusSeq) throws IOException {
        g.writeStartObject();
        string(g, Name.KIND, e.kind() == null ? null : e.kind().name());
        if (statusSeq != null) {
            number(g, Name.STATUS_SEQ, statusSeq.longValue());
        }
        instant(g, Name.AT, e.at());
        number(g, Name.ATTEMPT, e.attempt());
        string(g, Name.STATUS, e.status() == null ? null : e.status().name());
        if (e.progress() != null) {
            number(g, Name.PROGRESS, e.progress().doubleValue());
        }
        string(g, Name.LOG, e.log());
        if (e.chunkSeq() != null) {
            number(g, Name.CHUNK_SEQ, e.chunkSeq().longValue());
        }
        string(g, Name.DATA, e.data());
        string(g, Name.STREAM, e.stream());
        error(g, Name.ERROR, e.error());
        tree(g, Name.RESULT, e.result());
        g.writeEndObject();
    }

    private static void error(JsonGenerator g, Name name, JobError error) throws IOException {
        if (error != null) {
            name(g, name);
            g.writeStartObject();
            string(g, Name.CODE, error.code());
            string(g, Name.MESSAGE, error.message());
            g.writeEndObject();
        }
    }

    private static void name(JsonGenerator g, Name name) throws IOException {
        g.writeFieldName(name.json);
    }

    private static void string(JsonGenerator g, Name name, String value) throws IOException {
        if (value != null) {
            name(g, name);
            g.writeString(value);
        }
    }

    private static void number(JsonGenerator g, Name name, long value) throws IOException {
        name(g, name);
        g.writeNumber(value);
    }

    private static void number(JsonGenerator g, Name name, double value) throws IOException {
        name(g, name);
        g.writeNumber(value);
    }

    private static void strings(JsonGenerator g, Name name, List<String> values) throws IOException {
        name(g, name);
        g.writeStartArray();
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }

    private static void instant(JsonGenerator g, Name name, Instant at) throws IOException {
        if (at != null) {
            char[] quoted = IsoInstant.quoted(at);
            name(g, name);
            g.writeRawValue(quoted, 0, quoted.length);
        }
    }

    /** A value the writer leaves to the mapper: the rare non-default spec parts. */
    private static void object(JsonGenerator g, Name name, Object value) throws IOException {
        name(g, name);
        g.writeObject(value);
    }

    private static void tree(JsonGenerator g, Name name, JsonNode node) throws IOException {
        if (node != null) {
            name(g, name);
            g.writeTree(node);
        }
    }

    /**
     * The documents' field names, quoted and escaped once: a generator copies a {@link SerializedString}'s chars
     * where a {@code String} name is scanned for characters to escape on every write (JFR of the throughput bench:
     * that scan was the hottest method, 8.6% of samples, half of it these names; docs/adr/0027). Each
     * constant's JSON name is its own name in lower case ({@code STATUS_SEQ} is {@link EventDocument#STATUS_SEQ},
     * which reading looks for; {@code EventDocumentTest} round-trips it).
     */
    private enum Name {
        AT,
        ATTEMPT,
        ATTEMPTS,
        AUCTION,
        BUDGET,
        CANDIDATES,
        CHUNK_SEQ,
        CODE,
        CREATED_AT,
        DATA,
        DEADLINE,
        DECIDED_AT,
        DEPENDS_ON,
        ERROR,
        EXECUTOR,
        FINISHED_AT,
        ID,
        IDEMPOTENCY_KEY,
        KIND,
        LOG,
        MESSAGE,
        NETWORK,
        NODE_ID,
        NOT_BEFORE,
        NUMBER,
        OUTCOME,
        OUTPUT_CAP_BYTES,
        OUTPUT_TRUNCATED,
        OWNER,
        PARENT_ID,
        PAYLOAD,
        PLACEMENT,
        POLICY,
        PRIORITY,
        PROGRESS,
        REASON,
        RECEIPT_CID,
        REJECTED_BY,
        REQUIREMENTS,
        RESULT,
        RETRY,
        ROUTE,
        ROUTE_RULE,
        ROUTING,
        RUN_AT,
        RUNNERS_UP,
        SCOPE,
        SCORE,
        SPEC,
        STARTED_AT,
        STATUS,
        STATUS_SEQ,
        STREAM,
        TIMEOUT_MS,
        TYPE,
        UPDATED_AT,
        VERIFY,
        WINNER;

        final SerializedString json = new SerializedString(name().toLowerCase(Locale.ROOT));
    }
}
