package org.planetarymesh.agent.inference;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * One inference backend: where it is, how it streams, what it is ({@code vllm}, {@code llama.cpp}, {@code lmstudio},
 * {@code ollama}, {@code openai} for anything else OpenAI-compatible), and the key the agent sends it.
 *
 * @param base for OpenAI-compatible backends the URL {@code /models} and {@code /chat/completions} are below (ends
 *     in {@code /v1}); for Ollama its root
 * @param configured named by the operator rather than found on a local port
 * @param apiKey sent as {@code Authorization: Bearer}; only ever set for configured backends
 */
record Backend(WireFormat format, URI base, String product, boolean configured, String apiKey) {

    /** How the agent names it to the coordinator and in logs, e.g. {@code llama.cpp@127.0.0.1:8080}. */
    String label() {
        return product + "@" + base.getHost() + (base.getPort() < 0 ? "" : ":" + base.getPort());
    }

    /** Where its chat endpoint is. */
    URI chatUri() {
        return URI.create(base.toString() + format.chatPath());
    }

    /** Whether it runs on this machine (a loopback address), so it is preferred to remote ones. */
    boolean local() {
        String host = base.getHost();
        if (host.equals("localhost")) {
            return true;
        }
        try {
            return host.matches("[0-9.]+|\\[?[0-9a-fA-F:]+]?")
                    && InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Its {@code host:port}, which identifies it whichever way it was found. */
    String hostPort() {
        return base.getHost() + ":" + base.getPort();
    }

    @Override
    public String toString() {
        // Never the key.
        return label() + " (" + format.name().toLowerCase(java.util.Locale.ROOT) + ", " + base + ")";
    }
}
