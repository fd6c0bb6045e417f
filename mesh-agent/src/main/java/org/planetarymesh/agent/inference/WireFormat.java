package org.planetarymesh.agent.inference;

/**
 * How a backend streams a chat: OpenAI's server-sent events (vLLM, llama.cpp, LM Studio, hosted APIs) or Ollama's
 * newline-delimited JSON ({@code /api/chat}).
 */
enum WireFormat {
    OPENAI("/chat/completions"),
    OLLAMA("/api/chat");

    private final String chatPath;

    WireFormat(String chatPath) {
        this.chatPath = chatPath;
    }

    /** The path of the chat endpoint below a backend's base URL. */
    String chatPath() {
        return chatPath;
    }

    /** A parser for one response's stream. */
    StreamParser newParser() {
        return this == OPENAI ? new SseParser() : new NdjsonParser();
    }
}
