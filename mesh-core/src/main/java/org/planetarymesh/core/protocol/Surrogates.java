package org.planetarymesh.core.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Function;

/** Finds unpaired UTF-16 surrogates in a frame: they have no UTF-8 form, so no store or peer could keep them. */
final class Surrogates {

    private Surrogates() {}

    /** The path of the first string (value or key's object) in {@code node} holding an unpaired surrogate, or null. */
    static String unpairedPath(JsonNode node, String path) {
        if (node.isTextual()) {
            return hasUnpaired(node.textValue()) ? path : null;
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String found = unpairedPath(node.get(i), path + "[" + i + "]");
                if (found != null) {
                    return found;
                }
            }
        }
        if (node.isObject()) {
            Function<String, String> child = name -> path.isEmpty() ? name : path + "." + name;
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                var entry = it.next();
                if (hasUnpaired(entry.getKey())) {
                    return path;
                }
                String found = unpairedPath(entry.getValue(), child.apply(entry.getKey()));
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    static boolean hasUnpaired(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }
}
