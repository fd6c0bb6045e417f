package org.planetarymesh.core.receipt;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.erdtman.jcs.NumberToJSON;

/**
 * RFC 8785 written straight from a JSON tree, for the per-job path: the library ({@link Canonical#of(String)}) parses
 * text and builds its own tree first, about 50 us for a receipt, while the tree is already at hand. Keys are sorted by
 * UTF-16 code units ({@link String#compareTo}), strings escaped as RFC 8785 says (only {@code "}, {@code \} and
 * control characters; backspace, tab, newline, form feed and carriage return by their short escapes, others as lower-case six-character escapes (backslash, u, 00, two hex digits)), and every number goes
 * through the library's own ECMAScript formatter as a double, exactly as the library treats numbers, so the bytes are
 * the library's. {@code CanonicalWriterTest} compares the two on random trees.
 */
final class CanonicalWriter {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final StringBuilder out = new StringBuilder(256);

    private CanonicalWriter() {}

    /** The canonical UTF-8 bytes of {@code node} (JSON null for a Java null). */
    static byte[] write(JsonNode node) {
        CanonicalWriter writer = new CanonicalWriter();
        writer.value(node);
        return writer.out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void value(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            out.append("null");
        } else if (node.isTextual()) {
            string(node.textValue());
        } else if (node.isNumber()) {
            number(node);
        } else if (node.isBoolean()) {
            out.append(node.booleanValue() ? "true" : "false");
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                value(node.get(i));
            }
            out.append(']');
        } else if (node.isObject()) {
            object(node);
        } else {
            // Binary and POJO nodes never come from parsed JSON; write them as the library would read their text.
            string(node.asText());
        }
    }

    private void object(JsonNode node) {
        List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(node.size());
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            fields.add(it.next());
        }
        fields.sort(Map.Entry.comparingByKey());
        out.append('{');
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            string(fields.get(i).getKey());
            out.append(':');
            value(fields.get(i).getValue());
        }
        out.append('}');
    }

    private void number(JsonNode node) {
        if (node.canConvertToExactIntegral() && node.canConvertToLong()) {
            integer(out, node.longValue());
            return;
        }
        try {
            out.append(NumberToJSON.serializeNumber(node.doubleValue()));
        } catch (IOException e) {
            throw new IllegalArgumentException("not a JSON number (NaN or infinite): " + node, e);
        }
    }

    /** Appends the RFC 8785 form of the integer {@code v} (as the formatter prints the double nearest to it). */
    static void integer(StringBuilder out, long v) {
        if (Math.abs(v) < (1L << 53)) {
            out.append(v); // what the formatter prints for a double holding this integer exactly
            return;
        }
        try {
            out.append(NumberToJSON.serializeNumber((double) v));
        } catch (IOException e) {
            throw new IllegalStateException("a long is always a finite double", e);
        }
    }

    private void string(String s) {
        string(out, s);
    }

    /** Appends {@code s} as an RFC 8785 string. */
    static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\f' -> out.append("\\f");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** For tests: the library's bytes of the same tree. */
    static byte[] viaLibrary(JsonNode node) {
        return Canonical.of(node == null ? "null" : node.toString());
    }
}
