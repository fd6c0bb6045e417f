package org.planetarymesh.agent.inference;

/** What a backend's chat stream says, whichever wire format carried it. */
sealed interface StreamEvent {

    /** A piece of the assistant's text, in order. */
    record Content(String text) implements StreamEvent {}

    /** Why generation stopped: {@code stop}, {@code length}, ... */
    record Finished(String reason) implements StreamEvent {}

    /** The backend's token counts for the whole request. */
    record Tokens(long prompt, long completion) implements StreamEvent {}

    /** The backend reported an error in the stream. */
    record Failed(String message) implements StreamEvent {}

    /** The stream's own end marker ({@code data: [DONE]}, or Ollama's {@code done: true}). */
    record End() implements StreamEvent {}
}
