package org.planetarymesh.client;

import java.util.List;
import java.util.Map;

/** An HTTP answer as it came: status, headers (lower-case names) and body. */
public record RawAnswer(int status, Map<String, List<String>> headers, String body) {

    /** The first value of header {@code name} (any case), or null. */
    public String header(String name) {
        for (var e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                return e.getValue().getFirst();
            }
        }
        return null;
    }
}
