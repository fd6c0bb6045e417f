package org.planetarymesh.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.planetarymesh.core.json.Json;

/**
 * {@link PlainMessageBinder} builds exactly what the strict mapper builds from the same tree, for every mix of absent,
 * null and present optional fields, and hands back (null) every tree it does not bind plainly, so that the mapper
 * decides it and words its error.
 */
class PlainMessageBinderTest {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    @Test
    void bindsWhatTheMapperBindsForRandomValidMessages() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            ObjectNode tree = switch (i % 3) {
                case 0 -> jobDone(random);
                case 1 -> assignJob(random);
                default -> jobAccepted(random);
            };
            String type = tree.get("type").textValue();

            Message plain = PlainMessageBinder.bind(type, tree);

            assertThat(plain).as("%s", tree).isNotNull().isEqualTo(MessageCodec.bindWithMapper(type, tree));
        }
    }

    @Test
    void leavesEveryTreeWithAnUnusualFieldToTheMapper() {
        List<Consumer<ObjectNode>> unusual = List.of(
                t -> t.put("attempt", "3"),
                t -> t.put("attempt", 1.5),
                t -> t.put("attempt", 1L << 40),
                t -> t.put("job_id", 12),
                t -> t.put("duration_ms", 2.5),
                t -> t.put("duration_ms", "10"),
                t -> t.put("executor", 5),
                t -> t.put("route_rule", true),
                t -> t.set("tokens", F.objectNode().put("input", 1).put("output", 2)));
        for (Consumer<ObjectNode> change : unusual) {
            ObjectNode tree = jobDone(new SplittableRandom(1));
            change.accept(tree);
            assertThat(PlainMessageBinder.bind("job_done", tree)).as("%s", tree).isNull();
        }
        for (Consumer<ObjectNode> change : List.<Consumer<ObjectNode>>of(
                t -> t.put("deadline", "2030-01-01T00:00:00Z"),
                t -> t.put("timeout_ms", 1.5),
                t -> t.put("job_type", 3),
                t -> t.set("assignment_id", F.arrayNode()))) {
            ObjectNode tree = assignJob(new SplittableRandom(1));
            change.accept(tree);
            assertThat(PlainMessageBinder.bind("assign_job", tree))
                    .as("%s", tree)
                    .isNull();
        }
        assertThat(PlainMessageBinder.bind("heartbeat", F.objectNode())).isNull();
    }

    @Test
    void theCodecStillWordsErrorsForFieldsOfTheWrongType() {
        MessageCodec codec = new MessageCodec();

        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(
                        ProtocolException.class,
                        () -> codec.decode("{\"type\":\"job_done\",\"v\":1,\"job_id\":\"j\",\"attempt\":\"3\"}")))
                .satisfies(e -> assertThat(e.code()).isEqualTo("wrong_type"))
                .satisfies(e -> assertThat(e.getMessage()).contains("attempt"));
    }

    private static ObjectNode jobDone(SplittableRandom r) {
        ObjectNode t = base("job_done", r);
        optional(r, t, "result", anyJson(r));
        optional(r, t, "tokens", null);
        optional(r, t, "duration_ms", r.nextBoolean() ? F.numberNode(r.nextInt(100_000)) : F.numberNode(r.nextLong()));
        optional(r, t, "executor", F.textNode("echo"));
        optional(r, t, "route_rule", F.textNode("exact"));
        optional(r, t, "receipt", anyJson(r));
        optional(r, t, "unknown_extra", anyJson(r));
        return t;
    }

    private static ObjectNode assignJob(SplittableRandom r) {
        ObjectNode t = base("assign_job", r);
        t.put("job_type", r.nextBoolean() ? "echo" : "llm/\u00e9t\u00e9");
        optional(r, t, "payload", anyJson(r));
        optional(r, t, "deadline", null);
        optional(r, t, "timeout_ms", r.nextBoolean() ? F.numberNode(r.nextInt(1, 60_000)) : F.numberNode(r.nextLong()));
        optional(r, t, "assignment_id", F.textNode("as-" + r.nextInt()));
        return t;
    }

    private static ObjectNode jobAccepted(SplittableRandom r) {
        return base("job_accepted", r);
    }

    private static ObjectNode base(String type, SplittableRandom r) {
        ObjectNode t = F.objectNode();
        t.put("type", type);
        if (r.nextBoolean()) {
            t.put("v", 1);
        }
        t.put("job_id", "01a232f4-" + Integer.toHexString(r.nextInt()) + (r.nextInt(10) == 0 ? "\u00fc\u4e2d" : ""));
        t.put("attempt", r.nextInt(5) == 0 ? r.nextInt() : r.nextInt(1, 4));
        return t;
    }

    /** Leaves {@code name} out, sets it to JSON null, or (when {@code value} is not null) to {@code value}. */
    private static void optional(SplittableRandom r, ObjectNode t, String name, JsonNode value) {
        switch (r.nextInt(3)) {
            case 0 -> {}
            case 1 -> t.putNull(name);
            default -> {
                if (value != null) {
                    t.set(name, value);
                }
            }
        }
    }

    private static JsonNode anyJson(SplittableRandom r) {
        return switch (r.nextInt(6)) {
            case 0 -> F.objectNode().put("i", r.nextInt()).put("s", "x");
            case 1 -> F.arrayNode().add(1).add("two").addNull();
            case 2 -> F.textNode("text");
            case 3 -> F.numberNode(r.nextDouble());
            case 4 -> F.booleanNode(r.nextBoolean());
            default -> Json.mapper().createObjectNode();
        };
    }
}
