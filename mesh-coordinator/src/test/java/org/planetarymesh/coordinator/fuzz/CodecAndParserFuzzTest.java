package org.planetarymesh.coordinator.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.planetarymesh.core.job.InvalidSpecException;
import org.planetarymesh.core.job.JobIds;
import org.planetarymesh.core.job.JobSpec;
import org.planetarymesh.core.job.JobSpecParser;
import org.planetarymesh.core.job.Requirements;
import org.planetarymesh.core.job.Resources;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.core.protocol.Message;
import org.planetarymesh.core.protocol.MessageCodec;
import org.planetarymesh.core.protocol.ProtocolException;

/**
 * The bulk of the fuzzing, straight at the two parsers every hostile byte reaches first: {@link MessageCodec#decode}
 * (agent frames) and {@link JobSpecParser#parse} (job specs). Only their own refusal ({@link ProtocolException},
 * {@link InvalidSpecException}) may escape; and whatever they accept must survive what the coordinator does next with
 * it (re-encoding a frame, storing a spec as JSON).
 */
class CodecAndParserFuzzTest {

    static final int CODEC_TEXT_INPUTS = 50_000;
    static final int CODEC_TREE_INPUTS = 10_000;
    static final int SPEC_TREE_INPUTS = 25_000;
    static final int SPEC_TEXT_INPUTS = 15_000;
    static final Duration BUDGET = Duration.ofSeconds(40);

    static final List<String> FRAME_FIELDS = List.of(
            "type",
            "v",
            "node_id",
            "job_id",
            "attempt",
            "max_concurrent",
            "running_jobs",
            "public_key",
            "signature",
            "result",
            "error_code",
            "seq",
            "data",
            "progress",
            "capabilities",
            "labels",
            "resources",
            "tokens",
            "queue_depth",
            "running_job_ids",
            "price",
            "job_type",
            "payload",
            "deadline",
            "retryable");

    static final List<String> SPEC_FIELDS = List.of(
            "type",
            "payload",
            "scope",
            "priority",
            "deadline",
            "timeout_ms",
            "requirements",
            "placement",
            "retry",
            "idempotency_key",
            "depends_on",
            "parent_id",
            "budget",
            "capabilities",
            "resources",
            "labels",
            "model",
            "cpu",
            "memory_mb",
            "gpus",
            "policy",
            "window_ms",
            "max_price",
            "max_attempts",
            "backoff",
            "initial_ms",
            "multiplier",
            "max_ms",
            "jitter");

    static List<String> validFrames(MessageCodec codec) {
        String job = JobIds.next();
        var payload = Json.mapper().createObjectNode().put("k", "v");
        List<Message> messages = List.of(
                new Message.Hello(
                        "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
                        "n1",
                        List.of("echo", "gpu"),
                        List.of("echo"),
                        List.of("llama3"),
                        4,
                        new Resources(2, 1024, 0),
                        Map.of("zone", "eu"),
                        Map.of("echo", 3L),
                        "join",
                        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
                        List.of(new Message.RunningJob(job, 2))),
                new Message.Welcome("c1", "n1", 1000, "challenge"),
                new Message.Heartbeat(1, List.of(job), 0.5, "c2ln"),
                new Message.JobAnnouncement(
                        job, "cid", "echo", new Requirements(List.of("gpu"), null, null, null), Instant.now(), 10L),
                new Message.JobBid(job, 5, 100, new Resources(1, 1, 0), "sig"),
                new Message.AssignJob(job, 1, "echo", payload, Instant.now(), 1000L, "a1"),
                new Message.JobAccepted(job, 1),
                new Message.JobRejected(job, 1, "out_of_capacity", "full"),
                new Message.JobProgress(job, 1, 0.5, "half"),
                new Message.JobChunk(job, 1, 0, "aGVsbG8=", "stdout"),
                new Message.JobDone(job, 1, payload, new Message.Tokens(1, 2), 12, "echo", "rule", payload),
                new Message.JobError(job, 1, "boom", "it broke", true, 3),
                new Message.JobCancel(job, 1, "user"),
                new Message.Drain("bye"));
        List<String> frames = new ArrayList<>();
        messages.forEach(m -> frames.add(codec.encode(m)));
        return frames;
    }

    static List<String> validSpecs() {
        return List.of(
                "{\"type\":\"echo\"}",
                "{\"type\":\"sleep\",\"payload\":{\"ms\":5}}",
                """
                {"type":"echo","payload":{"any":"json"},"scope":"HYBRID","priority":0,"deadline":"2030-01-01T00:00:00Z",
                 "timeout_ms":30000,"requirements":{"capabilities":["gpu"],"resources":{"cpu":1,"memory_mb":512,"gpus":0},
                 "labels":{"zone":"eu"},"model":"llama3"},"placement":{"policy":"least-loaded","window_ms":100,"max_price":9},
                 "retry":{"max_attempts":3,"backoff":{"initial_ms":500,"multiplier":2.0,"max_ms":60000,"jitter":0.2}},
                 "idempotency_key":"order-42","depends_on":["%s"],"parent_id":"%s","budget":10}
                """.formatted(JobIds.next(), JobIds.next()),
                "{\"type\":\"echo\",\"placement\":\"auction\",\"retry\":{\"max_attempts\":1}}");
    }

    @Test
    void messageCodecOnlyEverRefusesWithAProtocolException() {
        long seed = Seeds.seed("MessageCodec.decode");
        Gen gen = Seeds.gen(seed);
        MessageCodec codec = new MessageCodec();
        MessageCodec small = new MessageCodec(2_048);
        List<String> frames = validFrames(codec);
        List<JsonNode> trees = new ArrayList<>();
        for (String frame : frames) {
            trees.add(readTree(frame));
        }
        long deadline = System.nanoTime() + BUDGET.toNanos();
        int inputs = 0;
        int accepted = 0;
        for (int i = 0; i < CODEC_TEXT_INPUTS + CODEC_TREE_INPUTS && System.nanoTime() < deadline; i++) {
            String input;
            if (i < CODEC_TEXT_INPUTS) {
                input = switch (gen.nextInt(10)) {
                    case 0 -> gen.jsonText(4);
                    case 1 -> gen.nested(gen.nextInt(1, 200), gen.pick(frames));
                    case 2 -> gen.invalidUtf8AsString(gen.nextInt(1, 200));
                    default -> gen.mutateText(gen.pick(frames));
                };
            } else {
                input = Gen.write(gen.mutateTree(gen.pick(trees), FRAME_FIELDS));
            }
            inputs++;
            MessageCodec used = gen.chance(10) ? small : codec;
            try {
                Message decoded = used.decode(input);
                accepted++;
                // What the codec accepts must be usable: it can be encoded again, and after one round trip (which
                // normalises numbers beyond a double, 1e309 -> "Infinity") encoding is stable.
                Message back = codec.decode(codec.encode(decoded));
                Message again = codec.decode(codec.encode(back));
                if (!again.equals(back)) {
                    throw new AssertionError("re-encoding changed the message: " + back + " vs " + again);
                }
            } catch (ProtocolException refused) {
                if (refused.code() == null
                        || refused.getMessage() == null
                        || refused.getMessage().isBlank()) {
                    throw failure(seed, i, input, refused);
                }
            } catch (Throwable t) {
                throw failure(seed, i, input, t);
            }
        }
        System.out.printf("[fuzz] MessageCodec.decode: %d inputs, %d accepted, seed=%d%n", inputs, accepted, seed);
        assertThat(inputs).isEqualTo(CODEC_TEXT_INPUTS + CODEC_TREE_INPUTS);
        assertThat(accepted)
                .as("the mutations must not all be trivially refused")
                .isPositive();
    }

    @Test
    void jobSpecParserOnlyEverRefusesWithAnInvalidSpecException() {
        long seed = Seeds.seed("JobSpecParser.parse");
        Gen gen = Seeds.gen(seed);
        List<String> specs = validSpecs();
        List<JsonNode> trees = new ArrayList<>();
        for (String spec : specs) {
            JsonNode tree = readTree(spec);
            JobSpecParser.parse(tree); // the templates themselves are valid
            trees.add(tree);
        }
        long deadline = System.nanoTime() + BUDGET.toNanos();
        int inputs = 0;
        int accepted = 0;
        for (int i = 0; i < SPEC_TREE_INPUTS + SPEC_TEXT_INPUTS && System.nanoTime() < deadline; i++) {
            JsonNode tree;
            String shown;
            if (i < SPEC_TREE_INPUTS) {
                tree = gen.chance(10) ? gen.node(4) : gen.mutateTree(gen.pick(trees), SPEC_FIELDS);
                shown = Gen.write(tree);
            } else {
                // Text mutations, read as the REST API reads a body; the ones that are still JSON reach the parser.
                String text = gen.mutateText(gen.pick(specs));
                try {
                    tree = Json.mapper().readTree(text);
                } catch (JsonProcessingException notJson) {
                    tree = gen.node(2);
                }
                shown = text;
            }
            inputs++;
            try {
                JobSpec spec = JobSpecParser.parse(tree);
                accepted++;
                // An accepted spec is stored inside its job ({"spec": {...}}) and read back: that must work too.
                String stored = Json.mapper().writeValueAsString(Map.of("spec", spec));
                JobSpec back =
                        Json.mapper().treeToValue(Json.mapper().readTree(stored).get("spec"), JobSpec.class);
                if (!back.type().equals(spec.type())) {
                    throw new AssertionError("stored spec reads back differently: " + stored);
                }
            } catch (InvalidSpecException refused) {
                if (refused.errors().isEmpty()) {
                    throw failure(seed, i, shown, refused);
                }
            } catch (Throwable t) {
                throw failure(seed, i, shown, t);
            }
        }
        System.out.printf("[fuzz] JobSpecParser.parse: %d inputs, %d accepted, seed=%d%n", inputs, accepted, seed);
        assertThat(inputs).isEqualTo(SPEC_TREE_INPUTS + SPEC_TEXT_INPUTS);
        assertThat(accepted).isPositive();
    }

    private static JsonNode readTree(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static AssertionError failure(long seed, int index, String input, Throwable t) {
        return new AssertionError(
                "fuzz input #" + index + " (seed=" + seed + ", replay with -Dmesh.fuzz.seed=" + seed + ") made "
                        + t.getClass().getName() + ": " + t.getMessage() + "\ninput: " + Gen.show(input),
                t);
    }
}
