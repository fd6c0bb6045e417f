package org.planetarymesh.agent.inference;

import java.util.function.Consumer;

/** Turns the lines of one streamed chat response into {@link StreamEvent}s; one parser per response. */
interface StreamParser {

    /**
     * Reads one line (without its line break) and hands what it completes to {@code events}.
     *
     * @throws MalformedStreamException if the line is not what the format allows
     */
    void line(String line, Consumer<StreamEvent> events);

    /** The input ended; hands over whatever was still pending. */
    void end(Consumer<StreamEvent> events);

    /** A backend's stream that is not valid for its format. */
    final class MalformedStreamException extends RuntimeException {
        MalformedStreamException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
