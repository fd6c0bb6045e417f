package org.planetarymesh.agent.link;

import java.util.List;
import org.planetarymesh.core.protocol.Message;

/** What the WebSocket listener hands the link's session thread. */
sealed interface LinkEvent {
    /** A decoded frame: one message, or the messages of a batch in order. */
    record Frame(List<Message> messages) implements LinkEvent {}

    /** A frame that could not be decoded; the session logs it and goes on. */
    record BadFrame(String reason) implements LinkEvent {}

    /** The connection ended. */
    record Closed(String reason) implements LinkEvent {}
}
