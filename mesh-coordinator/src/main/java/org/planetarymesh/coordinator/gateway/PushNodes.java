package org.planetarymesh.coordinator.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.planetarymesh.coordinator.scheduler.Scheduler;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.core.net.AgentAddress;
import org.planetarymesh.core.protocol.Message;
import org.planetarymesh.store.NodeStore;

/**
 * Registers push-mode nodes: stores each registration so it survives a restart, and connects a
 * {@link PushLink} for it.
 */
public final class PushNodes {

    private final Scheduler scheduler;
    private final NodeStore store;
    private final Duration probeInterval;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .executor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor())
            .build();

    public PushNodes(Scheduler scheduler, NodeStore store, Duration probeInterval) {
        this.scheduler = scheduler;
        this.store = store;
        this.probeInterval = probeInterval;
    }

    /**
     * What a client sends to register a push node; {@code token} (may be null) is sent as a bearer token on every call
     * to the node, which an agent's {@code /execute} requires (its {@code --execute-token}).
     */
    public record Registration(
            String name, String address, List<String> capabilities, int maxConcurrent, String token) {}

    /**
     * Registers (or re-registers) a node; returns its id ({@code push:<name>}). Throws {@link IllegalArgumentException}
     * with a precise message when the address or a field is invalid.
     */
    public String register(Registration registration) {
        String baseUrl = AgentAddress.normalize(registration.address());
        if (registration.name() == null || !registration.name().matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("name must be 1-64 characters of letters, digits, '.', '_', '-'");
        }
        if (registration.maxConcurrent() < 1 || registration.maxConcurrent() > 10_000) {
            throw new IllegalArgumentException("max_concurrent must be between 1 and 10000");
        }
        String id = "push:" + registration.name();
        Registration normalised = new Registration(
                registration.name(),
                baseUrl,
                registration.capabilities() == null ? List.of("echo") : registration.capabilities(),
                registration.maxConcurrent(),
                registration.token());
        try {
            store.upsert(new NodeStore.NodeRecord(
                    id, registration.name(), baseUrl, Json.mapper().writeValueAsString(normalised)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        connect(id, normalised);
        return id;
    }

    /** Forgets the stored registration of {@code id}, once the scheduler removed the node, so a restart leaves it out. */
    public void unregister(String id) {
        if (id.startsWith("push:")) {
            store.delete(id);
        }
    }

    /** Reconnects every push node registered before a restart. */
    public void restore() {
        for (NodeStore.NodeRecord record : store.list()) {
            if (record.address() == null || !record.id().startsWith("push:")) {
                continue;
            }
            try {
                connect(record.id(), Json.mapper().readValue(record.document(), Registration.class));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("stored push node " + record.id() + " is unreadable", e);
            }
        }
    }

    private void connect(String id, Registration registration) {
        PushLink link = new PushLink(id, registration.address(), registration.token(), scheduler, http, probeInterval);
        Message.Hello hello = new Message.Hello(
                id,
                registration.name(),
                registration.capabilities(),
                registration.capabilities(),
                List.of(),
                registration.maxConcurrent(),
                null,
                Map.of(),
                Map.of(),
                null,
                null,
                List.of());
        scheduler.nodeConnected(link, hello);
    }
}
