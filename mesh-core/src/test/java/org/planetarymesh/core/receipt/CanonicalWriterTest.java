package org.planetarymesh.core.receipt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.planetarymesh.core.json.Json;

/** The tree writer gives the library's bytes: on the RFC sample and on thousands of random trees. */
class CanonicalWriterTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Test
    void theRfcSampleCanonicalisesAsTheLibraryDoes() throws Exception {
        JsonNode sample = Json.mapper()
                .readTree("{\"numbers\":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"
                        + "\"string\":\"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\","
                        + "\"literals\":[null,true,false]}");
        assertThat(new String(CanonicalWriter.write(sample), StandardCharsets.UTF_8))
                .isEqualTo(new String(CanonicalWriter.viaLibrary(sample), StandardCharsets.UTF_8));
    }

    @Test
    void randomTreesCanonicaliseAsTheLibraryDoes() {
        Random random = new Random(8785);
        for (int i = 0; i < 3_000; i++) {
            JsonNode tree = tree(random, 0);
            assertThat(new String(CanonicalWriter.write(tree), StandardCharsets.UTF_8))
                    .as("tree %s", tree)
                    .isEqualTo(new String(CanonicalWriter.viaLibrary(tree), StandardCharsets.UTF_8));
        }
    }

    private static JsonNode tree(Random random, int depth) {
        int kind = random.nextInt(depth > 3 ? 6 : 8);
        return switch (kind) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(random.nextBoolean());
            case 2 -> NODES.numberNode(random.nextLong() >> random.nextInt(64));
            case 3 ->
                NODES.numberNode(
                        switch (random.nextInt(4)) {
                            case 0 -> random.nextDouble() * Math.pow(10, random.nextInt(60) - 30);
                            case 1 -> (double) random.nextInt(1000);
                            case 2 -> -random.nextDouble();
                            default -> Double.longBitsToDouble(random.nextLong() & 0x7fefffffffffffffL);
                        });
            case 4, 5 -> NODES.textNode(text(random));
            case 6 -> {
                ArrayNode array = NODES.arrayNode();
                for (int n = random.nextInt(5); n > 0; n--) {
                    array.add(tree(random, depth + 1));
                }
                yield array;
            }
            default -> {
                ObjectNode object = NODES.objectNode();
                for (int n = random.nextInt(6); n > 0; n--) {
                    object.set(text(random), tree(random, depth + 1));
                }
                yield object;
            }
        };
    }

    private static String text(Random random) {
        StringBuilder s = new StringBuilder();
        for (int n = random.nextInt(8); n > 0; n--) {
            s.append(
                    switch (random.nextInt(6)) {
                        case 0 -> (char) random.nextInt(0x20);
                        case 1 -> "\"\\/".charAt(random.nextInt(3));
                        case 2 -> (char) (0x80 + random.nextInt(0x700));
                        case 3 -> "€😀é".substring(0, 1 + random.nextInt(2));
                        default -> (char) ('a' + random.nextInt(26));
                    });
        }
        return s.toString();
    }
}
