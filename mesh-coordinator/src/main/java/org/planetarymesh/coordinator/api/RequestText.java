package org.planetarymesh.coordinator.api;

import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.planetarymesh.core.text.SafeText;
import org.planetarymesh.core.text.Utf8;

/**
 * Checks the text of a request's path and query once, before any route sees it: each percent-decoded component must
 * be well-formed UTF-8 and follow {@link SafeText}'s rule. A {@code %00} in {@code ?type=} otherwise reached
 * PostgreSQL and came back as a 500. Bodies are checked where they are parsed ({@link Http#jsonBody}).
 */
final class RequestText {

    private RequestText() {}

    /** Throws a 400 naming the parameter (or the path) whose text is not acceptable. */
    static void check(Context ctx) {
        String path = ctx.req().getRequestURI();
        if (path != null) {
            for (String segment : path.split("/", -1)) {
                checkComponent("the path segment '" + segment + "'", "path", segment);
            }
        }
        String query = ctx.queryString();
        if (query == null || query.isEmpty()) {
            return;
        }
        for (String pair : query.split("&", -1)) {
            int equals = pair.indexOf('=');
            String rawName = equals < 0 ? pair : pair.substring(0, equals);
            String name = checkComponent("a query parameter name", "query", rawName);
            if (equals >= 0) {
                checkComponent("query parameter '" + name + "'", name, pair.substring(equals + 1));
            }
        }
    }

    /** The decoded text of one raw component; {@code what} words the error, {@code field} names it in details. */
    private static String checkComponent(String what, String field, String raw) {
        byte[] bytes = percentDecode(what, field, raw);
        int invalid = Utf8.firstInvalid(bytes);
        if (invalid >= 0) {
            throw Http.invalidText(
                    what,
                    field,
                    "is not valid UTF-8 at byte " + invalid + " (0x"
                            + HexFormat.of().toHexDigits(bytes[invalid])
                            + " after decoding): percent-encode UTF-8 text");
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        String problem = SafeText.problem(text);
        if (problem != null) {
            throw Http.invalidText(what, field, problem);
        }
        return text;
    }

    private static byte[] percentDecode(String what, String field, String raw) {
        if (raw.indexOf('%') < 0 && raw.indexOf('+') < 0) {
            return raw.getBytes(StandardCharsets.UTF_8);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int value = i + 2 < raw.length() ? hex(raw.charAt(i + 1), raw.charAt(i + 2)) : -1;
                if (value < 0) {
                    throw Http.invalidText(what, field, "has a '%' not followed by two hex digits");
                }
                out.write(value);
                i += 2;
            } else if (c == '+') {
                out.write(' ');
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }

    private static int hex(char high, char low) {
        int h = Character.digit(high, 16);
        int l = Character.digit(low, 16);
        return h < 0 || l < 0 ? -1 : h * 16 + l;
    }
}
