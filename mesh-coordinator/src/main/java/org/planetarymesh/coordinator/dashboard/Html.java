package org.planetarymesh.coordinator.dashboard;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Escaping and small fragments for the server-rendered pages. Every value that comes from a user, a node or the store
 * goes through {@link #esc} before it reaches HTML (text and attribute values alike).
 */
final class Html {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private Html() {}

    /** {@code value} safe inside HTML text and inside a double- or single-quoted attribute; null becomes empty. */
    static String esc(Object value) {
        if (value == null) {
            return "";
        }
        String s = value.toString();
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** A status badge, coloured by status (class {@code badge s-completed} and so on). */
    static String badge(Object status) {
        String text = status == null ? "unknown" : status.toString();
        return "<span class=\"badge s-" + esc(text.toLowerCase(Locale.ROOT)) + "\" data-status>" + esc(text)
                + "</span>";
    }

    /** A UTC time as {@code 2026-12-07 21:42:58}, in a {@code <time>} element carrying the ISO instant. */
    static String time(Instant at) {
        if (at == null) {
            return "<span class=\"muted\">—</span>";
        }
        return "<time datetime=\"" + esc(at) + "\">" + esc(TIME.format(at)) + "</time>";
    }

    /** A share such as 0.125 as {@code 12.5%}, or a dash when unknown. */
    static String percent(Double share) {
        return share == null ? "—" : String.format(Locale.ROOT, "%.1f%%", share * 100);
    }

    /** {@code value} with thousands separators. */
    static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    /** A comma-separated list, each item escaped, or a dash when empty. */
    static String list(java.util.Collection<?> items) {
        if (items == null || items.isEmpty()) {
            return "<span class=\"muted\">—</span>";
        }
        StringBuilder out = new StringBuilder();
        for (Object item : items) {
            out.append("<span class=\"tag\">").append(esc(item)).append("</span> ");
        }
        return out.toString();
    }
}
