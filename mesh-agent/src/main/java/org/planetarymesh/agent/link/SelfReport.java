package org.planetarymesh.agent.link;

import java.util.List;
import org.planetarymesh.agent.config.AgentConfig;
import org.planetarymesh.agent.identity.NodeIdentity;
import org.planetarymesh.agent.inference.InferenceReport;
import org.planetarymesh.agent.machine.MachineProbe;
import org.planetarymesh.agent.runner.JobRunner;
import org.planetarymesh.core.job.Resources;
import org.planetarymesh.core.node.ModelState;
import org.planetarymesh.core.protocol.Message;

/** What this agent tells the coordinator about itself: the {@code hello} that opens a session, and its heartbeats. */
final class SelfReport {

    private final AgentConfig config;
    private final NodeIdentity identity;
    private final JobRunner runner;
    private final Outbox outbox;
    private final List<String> executors;
    private final InferenceReport inference;
    private final Resources resources;

    SelfReport(
            AgentConfig config,
            NodeIdentity identity,
            JobRunner runner,
            Outbox outbox,
            List<String> executors,
            InferenceReport inference) {
        this.config = config;
        this.identity = identity;
        this.runner = runner;
        this.outbox = outbox;
        this.executors = List.copyOf(executors);
        this.inference = inference;
        this.resources = resources(config);
    }

    /**
     * The hello that opens a session: who this node is, what it runs (and which models), and the attempts it still
     * holds.
     */
    Message.Hello hello() {
        List<String> capabilities = advertisedCapabilities(config, executors);
        List<ModelState> models = inference.modelStates();
        return new Message.Hello(
                identity.nodeId(),
                config.name(),
                capabilities,
                executors,
                models.stream().map(ModelState::id).toList(),
                config.maxConcurrent(),
                resources,
                config.labels(),
                config.bidding().standingPrices(),
                config.token(),
                identity.publicKeyBase64(),
                held(),
                models,
                inference.maxInference(),
                runner.active(),
                inference.tokensPerSecond());
    }

    // Running attempts plus finished ones whose outcome is still buffered: after a reconnect the coordinator would
    // otherwise reconcile a finished-while-away attempt as lost (and retry it) before the buffered job_done arrives.
    private List<Message.RunningJob> held() {
        java.util.LinkedHashSet<Message.RunningJob> held = new java.util.LinkedHashSet<>(runner.running());
        held.addAll(outbox.unreportedOutcomes());
        return List.copyOf(held);
    }

    /**
     * What the coordinator may place here: the configured capabilities (default: the executor names), plus every
     * category type this agent routes, plus {@code *} when a fallback takes any type. Without the last two the
     * coordinator, which only places a job on a node advertising its type, would never send the router those jobs.
     */
    static List<String> advertisedCapabilities(AgentConfig config, List<String> executors) {
        java.util.LinkedHashSet<String> capabilities =
                new java.util.LinkedHashSet<>(config.capabilities().isEmpty() ? executors : config.capabilities());
        capabilities.addAll(config.categories().keySet());
        capabilities.addAll(MachineProbe.toolCapabilities(config.offer()));
        // A peer link's fallback hands jobs on to its mesh, which runs only what it advertised: no wildcard.
        if (config.fallback() != null && !config.fallback().isBlank() && !"peer".equals(config.fallback())) {
            capabilities.add("*");
        }
        return List.copyOf(capabilities);
    }

    /** A heartbeat; the session's first carries {@code signature}, the signed challenge, later ones null. */
    Message.Heartbeat heartbeat(String signature) {
        List<String> ids =
                held().stream().map(Message.RunningJob::jobId).distinct().toList();
        // The agent never queues a job it accepted behind others (it refuses past capacity): its queue is what runs.
        java.util.Map<String, Long> offer = config.bidding().standingPrices();
        return new Message.Heartbeat(
                runner.active(),
                ids,
                runner.load(),
                signature,
                offer.isEmpty() ? null : offer,
                offer.isEmpty() ? null : runner.freeSlots(),
                inference.modelStates(),
                inference.maxInference(),
                inference.tokensPerSecond());
    }

    /** The machine's resources as offered (detected, capped by the configured offer); probed once per process. */
    static Resources resources(AgentConfig config) {
        return MachineProbe.offered(config.offer());
    }
}
