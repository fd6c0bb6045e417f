package org.planetarymesh.core.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * The rule for every string a client or agent hands the mesh: no U+0000 (PostgreSQL's text cannot hold it, and C
 * tools cut strings at it) and no unpaired UTF-16 surrogate (it has no UTF-8 form, so a store or peer would turn it
 * into {@code ?}). Checked once, where text enters, so nothing further in can fail on it.
 */
public final class SafeText {

    private SafeText() {}

    /** Where a string breaks the rule and how. */
    public record Problem(String field, String message) {}

    /** What is wrong with {@code text}, or null if it is acceptable. */
    public static String problem(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return "contains U+0000 (NUL), which no string may hold";
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "contains an unpaired UTF-16 surrogate (\\u" + Integer.toHexString(c)
                        + "), which has no UTF-8 form";
            }
        }
        return null;
    }

    /**
     * The first string in {@code node} (a value or an object key) that breaks the rule, named by its path
     * ({@code requirements.labels.zone}, {@code args[2]}; the document itself is {@code "(body)"}), or null.
     */
    public static Problem find(JsonNode node) {
        return find(node, "");
    }

    private static Problem find(JsonNode node, String path) {
        if (node.isTextual()) {
            String problem = problem(node.textValue());
            return problem == null ? null : new Problem(path.isEmpty() ? "(body)" : path, problem);
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                Problem found = find(node.get(i), path + "[" + i + "]");
                if (found != null) {
                    return found;
                }
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                String child = path.isEmpty() ? entry.getKey() : path + "." + entry.getKey();
                String keyProblem = problem(entry.getKey());
                if (keyProblem != null) {
                    return new Problem(
                            path.isEmpty() ? "(body)" : path,
                            "has a key that " + keyProblem.replace("contains", "holds"));
                }
                Problem found = find(entry.getValue(), child);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}
