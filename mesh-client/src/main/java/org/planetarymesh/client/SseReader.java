package org.planetarymesh.client;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Reads Server-Sent Events from a byte stream as the WHATWG HTML spec's "event stream interpretation" describes:
 * lines end in LF, CR or CRLF; {@code field: value} with one optional space after the colon; lines starting with
 * {@code :} are comments; several {@code data} lines are joined with {@code \n}; a blank line dispatches the event, and
 * an event without data is dropped. An event cut off by the end of the stream is dropped too, because the server never
 * finished it.
 */
final class SseReader implements Closeable {

    private final BufferedReader lines;

    SseReader(InputStream in) {
        // BufferedReader.readLine() already treats LF, CR and CRLF as line ends, which is what the SSE grammar wants.
        this.lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    /** The next complete event, or null at the end of the stream. Blocks until one arrives. */
    SseEvent next() throws IOException {
        String id = null;
        String event = null;
        String data = null; // one line's, the usual case
        StringBuilder several = null; // the lines joined, from a second data line on
        String line;
        while ((line = lines.readLine()) != null) {
            if (line.isEmpty()) {
                if (data != null) {
                    String text = several == null ? data : several.toString();
                    return new SseEvent(id, event == null ? "message" : event, text);
                }
                id = null;
                event = null;
                continue;
            }
            if (line.startsWith(":")) {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            int start = colon < 0 ? line.length() : colon + 1;
            if (start < line.length() && line.charAt(start) == ' ') {
                start++;
            }
            String value = line.substring(start);
            switch (field) {
                case "data" -> {
                    if (data == null) {
                        data = value;
                    } else {
                        several = (several == null ? new StringBuilder(data) : several)
                                .append('\n')
                                .append(value);
                    }
                }
                case "event" -> event = value;
                case "id" -> id = value.indexOf('\0') < 0 ? value : id;
                default -> {
                    // "retry" and unknown fields carry nothing this client uses.
                }
            }
        }
        return null;
    }

    /**
     * Reads on to the end of the stream, at most {@code maxChars}; true if the end came. Nothing is expected after
     * {@code end}, so this normally returns as soon as the server finishes the response.
     */
    boolean skipToEnd(int maxChars) throws IOException {
        char[] buffer = new char[512];
        // Bounded by maxChars: a server that keeps writing is cut off rather than read forever.
        for (int read = 0; read <= maxChars; ) {
            int n = lines.read(buffer);
            if (n < 0) {
                return true;
            }
            read += n;
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }
}
