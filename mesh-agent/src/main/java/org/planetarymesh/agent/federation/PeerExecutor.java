package org.planetarymesh.agent.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.planetarymesh.core.identity.Signer;
import org.planetarymesh.core.job.JobEvent;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.job.NetworkProps;
import org.planetarymesh.core.job.Requirements;
import org.planetarymesh.core.json.Json;
import org.planetarymesh.core.protocol.Message;
import org.planetarymesh.executor.ErrorCode;
import org.planetarymesh.executor.ExecutionContext;
import org.planetarymesh.executor.ExecutionRequest;
import org.planetarymesh.executor.ExecutionResult;
import org.planetarymesh.executor.Executor;
import org.planetarymesh.executor.ExecutorException;

/**
 * {@code peer}: runs a job by handing it to the mesh behind this peer link as a job of that mesh, then relays its
 * output, progress and result back. The handed-over job carries its network properties (issuer: this link's did:key,
 * a signature over the job, ttl, hops, reward); its idempotency key is this attempt's id, so a resent hand-over makes
 * no second job there. A refusal there (policy, capacity, hops) is a refusal here ({@code unsupported}), which sends
 * the job elsewhere without using an attempt; losing the mesh mid-job fails the attempt as
 * {@code backend_unreachable}, so the job is retried elsewhere.
 */
public final class PeerExecutor implements Executor {

    /** The error codes of a job that no node of the mesh behind would run. */
    private static final java.util.Set<String> REFUSALS = java.util.Set.of("unsupported", "model_not_loaded");

    private final PeerSettings settings;
    private final PeerMeshApi api;
    private final Signer issuer;
    private final ForwardBoard forwards;

    public PeerExecutor(PeerSettings settings, Signer issuer, ForwardBoard forwards) {
        this.settings = settings;
        this.api = new PeerMeshApi(settings.mesh(), settings.token());
        this.issuer = issuer;
        this.forwards = forwards;
    }

    @Override
    public String name() {
        return PeerSettings.EXECUTOR;
    }

    @Override
    public void configure(org.planetarymesh.executor.ExecutorConfig config) {
        config.allowOnly(PeerSettings.KEYS); // read once into PeerSettings when the agent started
    }

    @Override
    public ExecutionResult execute(ExecutionRequest request, ExecutionContext context) throws Exception {
        Message.Forward forward = forwards.take(request.jobId(), request.attempt());
        Requirements requirements = forward == null ? Requirements.NONE : forward.requirements();
        NetworkProps incoming = forward == null ? null : forward.network();
        NetworkProps network = handOver(request, requirements, incoming);
        if (!api.reachable()) {
            throw ExecutorException.unsupported("the peer mesh at " + api.base() + " cannot be reached");
        }
        String remoteId;
        try {
            remoteId = api.submit(
                    spec(request, requirements, forward, network), request.jobId() + "/" + request.attempt());
        } catch (PeerMeshApi.Refused refused) {
            throw ExecutorException.unsupported("the peer mesh at " + api.base() + " refused the job (" + refused.code
                    + "): " + refused.getMessage());
        } catch (IOException e) {
            throw ExecutorException.unsupported("the peer mesh at " + api.base() + " cannot be reached: " + e);
        }
        context.progress(0, "handed over to the peer mesh at " + api.base() + " as job " + remoteId);
        return relay(remoteId, context);
    }

    /** The network properties of the hand-over: one hop more than it came with, signed by this link. */
    private NetworkProps handOver(ExecutionRequest request, Requirements requirements, NetworkProps incoming)
            throws ExecutorException {
        int hops = incoming == null ? 1 : incoming.hops() + 1;
        int maxHops = incoming == null ? settings.maxHops() : incoming.maxHops();
        if (hops > maxHops) {
            throw ExecutorException.unsupported("max hops reached: the job made " + (hops - 1) + " of its " + maxHops
                    + " mesh hops and may not go on to " + api.base());
        }
        long ttl = incoming == null
                ? settings.ttlSeconds()
                : Math.max(
                        1,
                        incoming.ttlSeconds()
                                - (Instant.now().getEpochSecond()
                                        - incoming.issuedAt().getEpochSecond()));
        NetworkProps unsigned = new NetworkProps(
                issuer.did(),
                "",
                Instant.now(),
                ttl,
                hops,
                maxHops,
                incoming == null ? settings.reward() : incoming.reward());
        return unsigned.signed(request.type(), request.payload(), requirements, issuer);
    }

    private static JsonNode spec(
            ExecutionRequest request, Requirements requirements, Message.Forward forward, NetworkProps network) {
        ObjectNode spec = Json.mapper().createObjectNode();
        spec.put("type", request.type());
        spec.set("payload", request.payload());
        // Its scope there: the job leaves this mesh, so on the mesh behind it may run anywhere it allows.
        spec.put("scope", "HYBRID");
        spec.set("requirements", Json.mapper().valueToTree(requirements));
        if (request.deadline() != null) {
            spec.put("deadline", request.deadline().toString());
        }
        spec.set("network", Json.mapper().valueToTree(network));
        return spec;
    }

    private ExecutionResult relay(String remoteId, ExecutionContext context) throws Exception {
        AtomicReference<Stream<String>> open = new AtomicReference<>();
        context.onCancel(() -> {
            api.cancel(remoteId);
            Stream<String> stream = open.get();
            if (stream != null) {
                stream.close();
            }
        });
        JobEvent end;
        try {
            end = api.follow(remoteId, event -> relayEvent(event, context), open);
        } catch (RelayStopped stopped) {
            api.cancel(remoteId);
            throw stopped.reason;
        } catch (IOException e) {
            if (context.cancelled()) {
                throw new ExecutorException(ErrorCode.CANCELLED, "cancelled; job " + remoteId + " there cancelled too");
            }
            throw new ExecutorException(
                    ErrorCode.BACKEND_UNREACHABLE,
                    "lost the peer mesh at " + api.base() + " while it ran job " + remoteId + ": " + e.getMessage(),
                    true);
        }
        if (end.status() == JobStatus.COMPLETED) {
            return ExecutionResult.of(end.result());
        }
        String why = end.error() == null
                ? end.status().name()
                : end.error().code() + ": " + end.error().message();
        if (end.error() != null && REFUSALS.contains(end.error().code())) {
            // Every node there refused it: a refusal of this mesh too, so the job goes elsewhere.
            throw ExecutorException.unsupported("the peer mesh at " + api.base() + " could not run it: " + why);
        }
        throw new ExecutorException(
                end.status() == JobStatus.CANCELLED ? ErrorCode.CANCELLED : ErrorCode.EXECUTOR_ERROR,
                "job " + remoteId + " on the peer mesh at " + api.base() + " ended " + end.status() + " (" + why + ")",
                false);
    }

    private static void relayEvent(JobEvent event, ExecutionContext context) {
        switch (event.kind()) {
            case CHUNK -> {
                byte[] bytes =
                        event.data() == null ? new byte[0] : Base64.getDecoder().decode(event.data());
                try {
                    context.emit(event.stream() == null ? "stdout" : event.stream(), bytes);
                } catch (ExecutorException e) {
                    throw new RelayStopped(e);
                }
            }
            case PROGRESS -> context.progress(event.progress() == null ? 0 : event.progress(), event.log());
            default -> {}
        }
    }

    /** The runner would take no more output (backpressure, cancel): ends the relay with the runner's reason. */
    private static final class RelayStopped extends RuntimeException {
        final ExecutorException reason;

        RelayStopped(ExecutorException reason) {
            super(reason.getMessage(), reason, false, false);
            this.reason = reason;
        }
    }
}
