package org.planetarymesh.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.planetarymesh.core.job.Requirements;
import org.planetarymesh.core.job.Resources;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.core.node.ModelState;

/** Every wire message of protocol v1, fully populated, survives {@link MessageCodec} encode then decode unchanged. */
class MessageCodecRoundTripTest {

    private static final String JOB = "01890a5d-ac96-7ab2-80e2-4536629c90de";
    private static final String NODE = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK";
    private static final Instant DEADLINE = Instant.parse("2030-01-01T00:00:05.123Z");
    private static final MessageCodec CODEC = new MessageCodec();

    /** One fully populated example of each message type, with its wire name in protocol v1. */
    static Stream<Arguments> everyMessageType() {
        return Stream.of(
                Arguments.of(
                        "hello",
                        new Message.Hello(
                                NODE,
                                "gpu-box",
                                List.of("gpu", "llm"),
                                List.of("echo", "shell", "inference"),
                                List.of("llama3", "qwen2"),
                                4,
                                new Resources(8.0, 32_768, 2),
                                Map.of("zone", "eu", "tier", "gold"),
                                Map.of("inference", 12L, "echo", 1L),
                                "join-token-abc",
                                "MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=",
                                List.of(
                                        new Message.RunningJob(JOB, 2),
                                        new Message.RunningJob(JOB.replace('e', 'f'), 1)),
                                List.of(
                                        new ModelState("llama3", true, "llama.cpp@127.0.0.1:8080"),
                                        new ModelState("qwen2", false, "ollama@127.0.0.1:11434")),
                                2,
                                1,
                                41.5)),
                Arguments.of("welcome", new Message.Welcome("conn-1", NODE, 5_000, "challenge-nonce", true)),
                Arguments.of(
                        "heartbeat",
                        new Message.Heartbeat(
                                3,
                                List.of(JOB),
                                0.75,
                                "sig-base64",
                                Map.of("echo", 2L),
                                5,
                                List.of(new ModelState("llama3", true, "vllm@127.0.0.1:8000")),
                                4,
                                87.25)),
                Arguments.of(
                        "job_announcement",
                        new Message.JobAnnouncement(
                                JOB,
                                "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku",
                                "inference",
                                new Requirements(
                                        List.of("gpu"),
                                        new Resources(1.5, 1024, 1),
                                        Map.of("zone", "eu"),
                                        "llama3",
                                        0.5),
                                DEADLINE,
                                40L,
                                "nonce-1",
                                2,
                                30_000L)),
                Arguments.of(
                        "job_bid",
                        new Message.JobBid(
                                JOB,
                                25,
                                1_500,
                                new Resources(1.0, 512, 0),
                                "bid-signature",
                                "nonce-1",
                                3,
                                List.of("Rabc", "Ldef"))),
                Arguments.of("job_decline", new Message.JobDecline(JOB, "nonce-1", "no free slot")),
                Arguments.of(
                        "assign_job",
                        new Message.AssignJob(
                                JOB,
                                3,
                                "echo",
                                payload(),
                                DEADLINE,
                                30_000L,
                                "assignment-9",
                                "bagaaieraiqjw7i2vwntyuekgvulpp2det2kpwt6cd7tx5ayqybqpmhfk76fa",
                                new Message.Forward(
                                        new org.planetarymesh.core.job.Requirements(
                                                List.of("special"),
                                                new org.planetarymesh.core.job.Resources(1, 512, 0),
                                                Map.of("zone", "eu"),
                                                null),
                                        org.planetarymesh.core.job.Scope.HYBRID,
                                        new org.planetarymesh.core.job.NetworkProps(
                                                "did:key:z6MkexampleIssuer",
                                                "c2lnbmF0dXJl",
                                                DEADLINE,
                                                3600,
                                                1,
                                                2,
                                                5)))),
                Arguments.of("job_accepted", new Message.JobAccepted(JOB, 3)),
                Arguments.of("job_rejected", new Message.JobRejected(JOB, 3, "out_of_capacity", "4 of 4 slots busy")),
                Arguments.of("job_progress", new Message.JobProgress(JOB, 3, 0.5, "halfway there")),
                Arguments.of("job_chunk", new Message.JobChunk(JOB, 3, 17, "aGVsbG8gd29ybGQ=", "stdout")),
                Arguments.of(
                        "job_done",
                        new Message.JobDone(
                                JOB,
                                3,
                                payload(),
                                new Message.Tokens(120, 480),
                                2_345,
                                "inference",
                                "model:llama3",
                                JsonNodeFactory.instance
                                        .objectNode()
                                        .put("cid", "bafy")
                                        .put("sig", "abc"))),
                Arguments.of(
                        "job_error",
                        new Message.JobError(JOB, 3, "backend_timeout", "vLLM did not answer in 30s", true, 42)),
                Arguments.of("job_cancel", new Message.JobCancel(JOB, 3, "cancelled by the client")),
                Arguments.of("drain", new Message.Drain("coordinator shutting down")),
                Arguments.of("undrain", new Message.Undrain("coordinator asked to take jobs again")),
                Arguments.of("receipt_batch", new Message.ReceiptBatch(3, "c2lnbmF0dXJl")));
    }

    private static JsonNode payload() {
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.put("message", "héllo ✓ 🚀").put("count", 3).put("ratio", 0.25).put("flag", true);
        payload.putArray("items").add(1).add("two").addNull();
        payload.putObject("nested").put("deep", "value");
        return payload;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyMessageType")
    void everyMessageSurvivesEncodeThenDecode(String type, Message message) {
        assertThat(CODEC.decode(CODEC.encode(message))).isEqualTo(message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyMessageType")
    void theFrameStartsWithItsTypeThenVersionOne(String type, Message message) {
        assertThat(CODEC.encode(message)).startsWith("{\"type\":\"" + type + "\",\"v\":1,");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyMessageType")
    void theExampleIsFullyPopulatedSoTheRoundTripProvesEveryField(String type, Message message) throws Exception {
        JsonNode frame = Json.mapper().readTree(CODEC.encode(message));
        Set<String> components = Arrays.stream(message.getClass().getRecordComponents())
                .map(c -> c.getName().replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT))
                .collect(Collectors.toSet());

        assertThat(frame.properties().stream().map(Map.Entry::getKey))
                .containsExactlyInAnyOrderElementsOf(Stream.concat(Stream.of("type", "v"), components.stream())
                        .toList());
    }

    @Test
    void everyMessageTypeHasARoundTripCase() {
        Set<Class<?>> covered = everyMessageType()
                .map(arguments -> arguments.get()[1].getClass())
                .collect(Collectors.toSet());

        assertThat(covered).containsExactlyInAnyOrder(Message.class.getPermittedSubclasses());
    }

    @Test
    void everyMessageTypeIsRegisteredUnderTheWireNameTheTestsUse() {
        Map<Class<?>, String> registered = Arrays.stream(
                        Message.class.getAnnotation(JsonSubTypes.class).value())
                .collect(Collectors.toMap(JsonSubTypes.Type::value, JsonSubTypes.Type::name));
        Map<Class<?>, String> expected =
                everyMessageType().collect(Collectors.toMap(a -> a.get()[1].getClass(), a -> (String) a.get()[0]));

        assertThat(registered).isEqualTo(expected);
    }

    @Test
    void aFrameWithoutVersionIsReadAsVersionOne() {
        assertThat(CODEC.decode("{\"type\":\"drain\",\"reason\":\"bye\"}")).isEqualTo(new Message.Drain("bye"));
    }

    @Test
    void unknownFieldsAreIgnoredSoNewerAgentsCanAddThem() {
        assertThat(CODEC.decode("{\"type\":\"job_accepted\",\"v\":1,\"job_id\":\"j\",\"attempt\":1,\"gpu_temp\":71}"))
                .isEqualTo(new Message.JobAccepted("j", 1));
    }

    @Test
    void optionalNumbersAndBooleansMayBeLeftOutAndReadAsZeroAndFalse() {
        assertThat(CODEC.decode("{\"type\":\"job_done\",\"v\":1,\"job_id\":\"j\",\"attempt\":2}"))
                .isEqualTo(new Message.JobDone("j", 2, null, null, 0, null, null, null));
        assertThat(CODEC.decode("{\"type\":\"job_error\",\"v\":1,\"job_id\":\"j\",\"attempt\":2,"
                        + "\"error_code\":\"internal\",\"retryable\":null}"))
                .isEqualTo(new Message.JobError("j", 2, "internal", null, false, 0));
        assertThat(CODEC.decode("{\"type\":\"heartbeat\",\"v\":1}")).isEqualTo(new Message.Heartbeat(0, null, 0, null));
    }

    @Test
    void anIntegerIsAcceptedWhereANumberIsExpected() {
        assertThat(CODEC.decode("{\"type\":\"job_progress\",\"v\":1,\"job_id\":\"j\",\"attempt\":1,\"progress\":1}"))
                .isEqualTo(new Message.JobProgress("j", 1, 1.0, null));
    }

    @Test
    void optionalFieldsMayBeLeftOut() {
        assertThat(CODEC.decode("{\"type\":\"hello\",\"v\":1,\"node_id\":\"n\",\"max_concurrent\":2}"))
                .isEqualTo(new Message.Hello("n", null, null, null, null, 2, null, null, null, null, null, null));
    }

    @Test
    void anAgentThatServesNoModelsSendsNoInferenceFields() {
        String heartbeat = CODEC.encode(new Message.Heartbeat(2, List.of("j"), 0.5, null));
        String hello =
                CODEC.encode(new Message.Hello("n", null, null, null, null, 2, null, null, null, null, null, null));

        for (String frame : List.of(heartbeat, hello)) {
            assertThat(frame)
                    .doesNotContain("model_states")
                    .doesNotContain("max_inference")
                    .doesNotContain("tokens_per_second");
        }
        assertThat(heartbeat).contains("\"queue_depth\":2");
    }

    @Test
    void modelStatesTravelInSnakeCase() {
        String frame = CODEC.encode(new Message.Heartbeat(
                1, List.of(), 0, null, List.of(new ModelState("tiny", true, "llama.cpp@127.0.0.1:8080")), 3, 12.5));

        assertThat(frame)
                .contains(
                        "\"model_states\":[{\"id\":\"tiny\",\"loaded\":true,\"backend\":\"llama.cpp@127.0.0.1:8080\"}]")
                .contains("\"max_inference\":3")
                .contains("\"tokens_per_second\":12.5");
    }
}
