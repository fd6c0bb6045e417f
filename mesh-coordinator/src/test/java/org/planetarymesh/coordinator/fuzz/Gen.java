package org.planetarymesh.coordinator.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.planetarymesh.core.json.Json;

/**
 * Seeded generators of hostile input: random JSON (as text and as trees), and mutations of valid documents (wrong
 * types, huge numbers, deep nesting, long strings, unicode, lone surrogates, truncations, byte flips, invalid UTF-8
 * decoded into strings, duplicate keys). Every generator draws only from the {@link SplittableRandom} it is given, so
 * a seed replays a run exactly.
 */
final class Gen {

    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static final String[] WORDS = {
        "type",
        "v",
        "job_id",
        "attempt",
        "node_id",
        "hello",
        "job_done",
        "job_error",
        "heartbeat",
        "payload",
        "retry",
        "max_attempts",
        "echo",
        "sleep",
        "did:key:z6Mk",
        "null",
        "true",
        "__proto__",
        "constructor",
        "",
        " ",
        "0",
        "-1",
        "1e309",
        "NaN",
        "Infinity",
        "\u0000",
        "\u202e",
        "\ud83d\ude00",
        "é",
        "日本",
        "\\",
        "\"",
        "/"
    };

    private static final String[] NUMBERS = {
        "0", "-0", "1", "-1", "2147483647", "2147483648", "-2147483649", "9223372036854775807", "9223372036854775808",
        "-9223372036854775809", "1e308", "1e309", "-1e309", "4.9e-324", "1e-400", "0.5", "1.0", "3.0000000000000001",
        "123456789012345678901234567890", "1E2", "-0.0", "100", "101", "1000000", "86400001", "604800001"
    };

    private final SplittableRandom random;

    Gen(SplittableRandom random) {
        this.random = random;
    }

    SplittableRandom random() {
        return random;
    }

    int nextInt(int bound) {
        return random.nextInt(bound);
    }

    int nextInt(int from, int to) {
        return random.nextInt(from, to);
    }

    boolean chance(int percent) {
        return random.nextInt(100) < percent;
    }

    <T> T pick(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }

    String pick(String... items) {
        return items[random.nextInt(items.length)];
    }

    // ---------------------------------------------------------------- strings

    /** A short or long, ASCII or unicode, sometimes hostile string. */
    String string() {
        return switch (random.nextInt(10)) {
            case 0 -> WORDS[random.nextInt(WORDS.length)];
            case 1 -> "x".repeat(random.nextInt(5_000));
            case 2 -> invalidUtf8AsString(random.nextInt(1, 40));
            case 3 -> loneSurrogate();
            case 4 -> controlChars(random.nextInt(1, 20));
            case 5 -> unicode(random.nextInt(1, 30));
            default -> ascii(random.nextInt(0, 24));
        };
    }

    String ascii(int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append((char) random.nextInt(0x20, 0x7f));
        }
        return b.toString();
    }

    String unicode(int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            int cp = random.nextInt(4) == 0 ? random.nextInt(0x10000, 0x10ffff) : random.nextInt(0x80, 0xd7ff);
            b.appendCodePoint(cp);
        }
        return b.toString();
    }

    String controlChars(int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append((char) random.nextInt(0, 0x20));
        }
        return b.toString();
    }

    String loneSurrogate() {
        char c = (char) random.nextInt(0xd800, 0xe000);
        return ascii(random.nextInt(3)) + c + ascii(random.nextInt(3));
    }

    /** Random bytes (mostly not valid UTF-8) decoded as UTF-8 (replacement characters) or as Latin-1. */
    String invalidUtf8AsString(int length) {
        byte[] bytes = invalidUtf8(length);
        return random.nextBoolean()
                ? new String(bytes, StandardCharsets.UTF_8)
                : new String(bytes, StandardCharsets.ISO_8859_1);
    }

    byte[] invalidUtf8(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = switch (random.nextInt(6)) {
                case 0 -> (byte) 0xff;
                case 1 -> (byte) 0xc0; // overlong lead
                case 2 -> (byte) 0xed; // surrogate lead
                case 3 -> (byte) random.nextInt(0x80, 0xc0); // stray continuation
                default -> (byte) random.nextInt(256);
            };
        }
        return bytes;
    }

    /** A JSON string literal for {@code s}, sometimes with its non-ASCII written as (possibly lone) \\u escapes. */
    String quoted(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        boolean escapeAll = random.nextInt(4) == 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || (escapeAll && c > 0x7e) || Character.isSurrogate(c)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    // ---------------------------------------------------------------- JSON text

    /** A random JSON value as text (valid JSON unless {@code sloppy} picked a broken literal). */
    String jsonText(int depth) {
        int kind = depth <= 0 ? random.nextInt(5) : random.nextInt(8);
        return switch (kind) {
            case 0 -> "null";
            case 1 -> random.nextBoolean() ? "true" : "false";
            case 2 -> NUMBERS[random.nextInt(NUMBERS.length)];
            case 3, 4 -> quoted(string());
            case 5 -> {
                StringBuilder b = new StringBuilder("[");
                int n = random.nextInt(5);
                for (int i = 0; i < n; i++) {
                    b.append(i == 0 ? "" : ",").append(jsonText(depth - 1));
                }
                yield b.append(']').toString();
            }
            default -> {
                StringBuilder b = new StringBuilder("{");
                int n = random.nextInt(6);
                for (int i = 0; i < n; i++) {
                    String key = random.nextBoolean() ? WORDS[random.nextInt(WORDS.length)] : string();
                    b.append(i == 0 ? "" : ",").append(quoted(key)).append(':').append(jsonText(depth - 1));
                }
                yield b.append('}').toString();
            }
        };
    }

    /** {@code inner} wrapped in {@code levels} arrays or objects. */
    String nested(int levels, String inner) {
        StringBuilder open = new StringBuilder();
        StringBuilder close = new StringBuilder();
        boolean arrays = random.nextBoolean();
        for (int i = 0; i < levels; i++) {
            open.append(arrays ? "[" : "{\"a\":");
            close.append(arrays ? "]" : "}");
        }
        return open + inner + close;
    }

    // ---------------------------------------------------------------- JSON trees

    /** A random JSON tree: wrong types, edge numbers, long and odd strings, some nesting. */
    JsonNode node(int depth) {
        int kind = depth <= 0 ? random.nextInt(7) : random.nextInt(9);
        return switch (kind) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(random.nextBoolean());
            case 2 -> NODES.numberNode(random.nextLong());
            case 3 ->
                NODES.numberNode(
                        switch (random.nextInt(6)) {
                            case 0 -> Double.NaN;
                            case 1 -> Double.POSITIVE_INFINITY;
                            case 2 -> -0.0;
                            case 3 -> Double.MAX_VALUE;
                            default -> random.nextDouble(-1e6, 1e6);
                        });
            case 4 ->
                random.nextBoolean()
                        ? NODES.numberNode(new BigInteger(200, new java.util.Random(random.nextLong())))
                        : NODES.numberNode(new BigDecimal("1e" + random.nextInt(-500, 500)));
            case 5 -> NODES.numberNode(random.nextInt(-3, 200));
            case 6 -> NODES.textNode(string());
            case 7 -> {
                ArrayNode array = NODES.arrayNode();
                int n = random.nextInt(5);
                for (int i = 0; i < n; i++) {
                    array.add(node(depth - 1));
                }
                yield array;
            }
            default -> {
                ObjectNode object = NODES.objectNode();
                int n = random.nextInt(5);
                for (int i = 0; i < n; i++) {
                    object.set(random.nextBoolean() ? WORDS[random.nextInt(WORDS.length)] : string(), node(depth - 1));
                }
                yield object;
            }
        };
    }

    /** A copy of {@code valid} with a few structural mutations: fields dropped, retyped, added, nested deeply. */
    JsonNode mutateTree(JsonNode valid, List<String> knownFields) {
        JsonNode copy = valid.deepCopy();
        int mutations = random.nextInt(1, 4);
        for (int m = 0; m < mutations; m++) {
            List<ObjectNode> objects = new ArrayList<>();
            collectObjects(copy, objects);
            if (objects.isEmpty()) {
                return node(3);
            }
            ObjectNode target = pick(objects);
            List<String> names = new ArrayList<>();
            for (Iterator<String> it = target.fieldNames(); it.hasNext(); ) {
                names.add(it.next());
            }
            switch (random.nextInt(6)) {
                case 0 -> {
                    if (!names.isEmpty()) {
                        target.remove(pick(names));
                    }
                }
                case 1, 2 -> {
                    String name = names.isEmpty() || random.nextInt(3) == 0 ? pick(knownFields) : pick(names);
                    target.set(name, node(2));
                }
                case 3 -> target.set(random.nextBoolean() ? string() : pick(knownFields), node(1));
                case 4 -> {
                    if (!names.isEmpty()) {
                        JsonNode deep = NODES.textNode("deep");
                        int levels = random.nextInt(1, 80);
                        for (int i = 0; i < levels; i++) {
                            deep = random.nextBoolean()
                                    ? NODES.arrayNode().add(deep)
                                    : NODES.objectNode().set("a", deep);
                        }
                        target.set(pick(names), deep);
                    }
                }
                default -> {
                    if (!names.isEmpty()) {
                        target.put(pick(names), "x".repeat(random.nextInt(10_000)));
                    }
                }
            }
        }
        return copy;
    }

    private static void collectObjects(JsonNode node, List<ObjectNode> into) {
        if (node instanceof ObjectNode object) {
            into.add(object);
            object.elements().forEachRemaining(child -> collectObjects(child, into));
        } else if (node.isArray()) {
            node.elements().forEachRemaining(child -> collectObjects(child, into));
        }
    }

    // ---------------------------------------------------------------- text mutations

    /** {@code valid} (a JSON document) mutated as text: truncated, flipped, spliced, keys duplicated, nested. */
    String mutateText(String valid) {
        String s = valid;
        int mutations = random.nextInt(1, 4);
        for (int m = 0; m < mutations && !s.isEmpty(); m++) {
            int at = random.nextInt(s.length() + 1);
            s = switch (random.nextInt(9)) {
                case 0 -> s.substring(0, at); // truncation
                case 1 -> { // character flip
                    if (at == s.length()) {
                        yield s;
                    }
                    char[] chars = s.toCharArray();
                    chars[at] = (char) (chars[at] ^ (1 << random.nextInt(8)));
                    yield new String(chars);
                }
                case 2 -> s.substring(0, at) + jsonText(2) + s.substring(at); // splice
                case 3 ->
                    s.substring(0, at)
                            + pick("{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "\\ud800")
                            + s.substring(at);
                case 4 -> duplicateKey(s);
                case 5 -> s.substring(0, at) + invalidUtf8AsString(random.nextInt(1, 8)) + s.substring(at);
                case 6 -> nested(random.nextInt(1, 100), s);
                case 7 -> s + pick(" ", "\n", "x", "{}", "[]", "null", ",");
                default -> replaceValue(s);
            };
        }
        return s;
    }

    /** Inserts a second copy of a key that is already in the object, right after the opening brace. */
    private String duplicateKey(String s) {
        if (!s.startsWith("{")) {
            return s;
        }
        String key = pick("type", "v", "job_id", "attempt", "node_id", "public_key", "max_concurrent");
        return "{" + quoted(key) + ":" + jsonText(1) + "," + s.substring(1);
    }

    /** Replaces the value after a random {@code "key":} with a random value. */
    private String replaceValue(String s) {
        List<Integer> colons = new ArrayList<>();
        for (int i = s.indexOf("\":"); i >= 0 && colons.size() < 1_000; i = s.indexOf("\":", i + 1)) {
            colons.add(i + 2);
        }
        if (colons.isEmpty()) {
            return s;
        }
        int start = pick(colons);
        int end = start;
        int depth = 0;
        boolean inString = false;
        while (end < s.length()) {
            char c = s.charAt(end);
            if (inString) {
                if (c == '\\') {
                    end++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                if (depth == 0) {
                    break;
                }
                depth--;
            } else if (c == ',' && depth == 0) {
                break;
            }
            end++;
        }
        return s.substring(0, start) + jsonText(2) + s.substring(Math.min(end, s.length()));
    }

    /** {@code value} as JSON text with the project mapper. */
    static String write(JsonNode value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code input} shortened and escaped so that a failure message can show it. */
    static String show(String input) {
        String shown = input.length() > 4_000 ? input.substring(0, 4_000) + "...(" + input.length() + " chars)" : input;
        StringBuilder b = new StringBuilder(shown.length());
        for (int i = 0; i < shown.length(); i++) {
            char c = shown.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c < 0xa0) || Character.isSurrogate(c)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
