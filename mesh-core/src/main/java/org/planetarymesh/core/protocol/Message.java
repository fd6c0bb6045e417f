package org.planetarymesh.core.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.planetarymesh.core.job.ErrorCode;
import org.planetarymesh.core.job.Requirements;
import org.planetarymesh.core.job.Resources;
import org.planetarymesh.core.node.ModelState;

/**
 * Wire protocol v1 between agents and the coordinator: JSON text frames {@code {"type": ..., "v": 1, ...}} on one
 * WebSocket per agent. One record per message type; {@link MessageCodec} encodes and validates them. Names follow
 * the auction and inference-agent protocols they come from ({@code job_announcement}, {@code job_bid},
 * {@code job_error}) so users of those systems recognise them. Fields marked required are checked by the codec.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Message.Hello.class, name = "hello"),
    @JsonSubTypes.Type(value = Message.Welcome.class, name = "welcome"),
    @JsonSubTypes.Type(value = Message.Heartbeat.class, name = "heartbeat"),
    @JsonSubTypes.Type(value = Message.JobAnnouncement.class, name = "job_announcement"),
    @JsonSubTypes.Type(value = Message.JobBid.class, name = "job_bid"),
    @JsonSubTypes.Type(value = Message.JobDecline.class, name = "job_decline"),
    @JsonSubTypes.Type(value = Message.AssignJob.class, name = "assign_job"),
    @JsonSubTypes.Type(value = Message.JobAccepted.class, name = "job_accepted"),
    @JsonSubTypes.Type(value = Message.JobRejected.class, name = "job_rejected"),
    @JsonSubTypes.Type(value = Message.JobProgress.class, name = "job_progress"),
    @JsonSubTypes.Type(value = Message.JobChunk.class, name = "job_chunk"),
    @JsonSubTypes.Type(value = Message.JobDone.class, name = "job_done"),
    @JsonSubTypes.Type(value = Message.JobError.class, name = "job_error"),
    @JsonSubTypes.Type(value = Message.JobCancel.class, name = "job_cancel"),
    @JsonSubTypes.Type(value = Message.Drain.class, name = "drain"),
    @JsonSubTypes.Type(value = Message.Undrain.class, name = "undrain"),
    @JsonSubTypes.Type(value = Message.ReceiptBatch.class, name = "receipt_batch")
})
public sealed interface Message {

    /** Protocol version carried in every frame's {@code v}. */
    int VERSION = 1;

    /** A job an agent is still running when it (re)connects. */
    record RunningJob(
            @JsonProperty(required = true) String jobId,
            @JsonProperty(required = true) int attempt) {}

    /** Token counts reported by inference executors: {@code input} the prompt's, {@code output} the completion's. */
    record Tokens(long input, long output) {}

    /**
     * Agent → coordinator: who I am and what I can do. The first frame on a connection. {@code models} names the
     * models its {@code inference} executor serves; {@code modelStates} says for each whether it is loaded and which
     * backend serves it; {@code maxInference} is how many inference jobs it runs at once (0: it runs none);
     * {@code queueDepth} the attempts it holds now; {@code tokensPerSecond} its measured generation speed (0: not
     * measured yet).
     */
    record Hello(
            @JsonProperty(required = true) String nodeId,
            String name,
            List<String> capabilities,
            List<String> executors,
            List<String> models,
            @JsonProperty(required = true) int maxConcurrent,
            Resources resources,
            Map<String, String> labels,
            Map<String, Long> prices,
            String joinToken,
            String publicKey,
            List<RunningJob> runningJobs,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<ModelState> modelStates,
            @JsonInclude(JsonInclude.Include.NON_DEFAULT) int maxInference,
            @JsonInclude(JsonInclude.Include.NON_DEFAULT) int queueDepth,
            @JsonInclude(JsonInclude.Include.NON_DEFAULT) double tokensPerSecond)
            implements Message {

        /** A hello of an agent that serves no models. */
        public Hello(
                String nodeId,
                String name,
                List<String> capabilities,
                List<String> executors,
                List<String> models,
                int maxConcurrent,
                Resources resources,
                Map<String, String> labels,
                Map<String, Long> prices,
                String joinToken,
                String publicKey,
                List<RunningJob> runningJobs) {
            this(
                    nodeId,
                    name,
                    capabilities,
                    executors,
                    models,
                    maxConcurrent,
                    resources,
                    labels,
                    prices,
                    joinToken,
                    publicKey,
                    runningJobs,
                    List.of(),
                    0,
                    0,
                    0);
        }

        public Hello {
            modelStates = modelStates == null ? List.of() : List.copyOf(modelStates);
            capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
            executors = executors == null ? List.of() : List.copyOf(executors);
            models = models == null ? List.of() : List.copyOf(models);
            labels = labels == null ? Map.of() : Map.copyOf(labels);
            prices = prices == null ? Map.of() : Map.copyOf(prices);
            runningJobs = runningJobs == null ? List.of() : List.copyOf(runningJobs);
            resources = resources == null ? Resources.NONE : resources;
        }
    }

    /**
     * Coordinator → agent: accepted; heartbeat at this interval and sign the challenge. {@code compactReceipts}: this
     * coordinator rebuilds execution receipts itself, so {@code job_done.receipt} may be the compact form and a frame's
     * receipts signed by one {@link ReceiptBatch} (absent, from an older coordinator: send whole signed receipts).
     */
    record Welcome(
            @JsonProperty(required = true) String connectionId,
            @JsonProperty(required = true) String nodeId,
            @JsonProperty(required = true) long heartbeatIntervalMs,
            String challenge,
            boolean compactReceipts)
            implements Message {

        /** A welcome that does not offer compact receipts. */
        public Welcome(String connectionId, String nodeId, long heartbeatIntervalMs, String challenge) {
            this(connectionId, nodeId, heartbeatIntervalMs, challenge, false);
        }
    }

    /**
     * Agent → coordinator: still alive, with load. {@code signature} answers the welcome's challenge. {@code prices}
     * and {@code freeSlots} are the node's standing offer (price per job type, slots it would take now); an auction
     * job whose best standing offer is within its limits is placed without a round of bids. Null: no offer. An agent
     * that serves models sends their current states (the whole list, every time), its inference capacity and its
     * measured tokens per second, as in {@link Hello}; the others leave them out (empty, 0).
     */
    record Heartbeat(
            int queueDepth,
            List<String> runningJobIds,
            double load,
            String signature,
            Map<String, Long> prices,
            Integer freeSlots,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<ModelState> modelStates,
            @JsonInclude(JsonInclude.Include.NON_DEFAULT) int maxInference,
            @JsonInclude(JsonInclude.Include.NON_DEFAULT) double tokensPerSecond)
            implements Message {

        /** A heartbeat of an agent that serves no models. */
        public Heartbeat(
                int queueDepth,
                List<String> runningJobIds,
                double load,
                String signature,
                Map<String, Long> prices,
                Integer freeSlots) {
            this(queueDepth, runningJobIds, load, signature, prices, freeSlots, List.of(), 0, 0);
        }

        public Heartbeat {
            modelStates = modelStates == null ? List.of() : List.copyOf(modelStates);
            runningJobIds = runningJobIds == null ? List.of() : List.copyOf(runningJobIds);
            prices = prices == null ? null : Map.copyOf(prices);
        }

        /** A heartbeat of an agent that serves models but makes no standing offer. */
        public Heartbeat(
                int queueDepth,
                List<String> runningJobIds,
                double load,
                String signature,
                List<ModelState> modelStates,
                int maxInference,
                double tokensPerSecond) {
            this(queueDepth, runningJobIds, load, signature, null, null, modelStates, maxInference, tokensPerSecond);
        }

        /** A heartbeat without a standing offer. */
        public Heartbeat(int queueDepth, List<String> runningJobIds, double load, String signature) {
            this(queueDepth, runningJobIds, load, signature, null, null);
        }
    }

    /**
     * Coordinator → agent: an auction is open for this job. {@code cid} is the CID of the job's canonical spec (null
     * until receipts compute it); {@code nonce} is fresh per round and must be signed into every bid, so a bid
     * recorded earlier cannot be replayed; {@code round} counts re-announcements from 1; {@code timeoutMs} bounds a
     * run, which a per-second price quotes against.
     */
    record JobAnnouncement(
            @JsonProperty(required = true) String jobId,
            String cid,
            @JsonProperty(required = true) String jobType,
            Requirements requirements,
            Instant bidDeadline,
            Long maxPrice,
            String nonce,
            int round,
            Long timeoutMs)
            implements Message {

        /** An announcement without nonce, round or time limit (the sample auction of the scheduler's tests). */
        public JobAnnouncement(
                String jobId,
                String cid,
                String jobType,
                Requirements requirements,
                Instant bidDeadline,
                Long maxPrice) {
            this(jobId, cid, jobType, requirements, bidDeadline, maxPrice, null, 0, null);
        }
    }

    /**
     * Agent → coordinator: an offer to run an announced job, for {@code price} credits, starting within {@code etaMs},
     * with {@code freeSlots} free now. {@code signature} is the node key's Ed25519 signature (base64) of
     * {@link org.planetarymesh.core.auction.BidSigning#canonical}: job id, node id, the round's nonce and the offer; or,
     * for the bids an agent answers one frame of announcements with, of the Merkle root over their canonical forms,
     * {@code proof} then leading from this bid to that root ({@link org.planetarymesh.core.auction.BidSigning}).
     */
    record JobBid(
            @JsonProperty(required = true) String jobId,
            @JsonProperty(required = true) long price,
            long etaMs,
            Resources resources,
            String signature,
            String nonce,
            Integer freeSlots,
            List<String> proof)
            implements Message {

        public JobBid {
            proof = proof == null || proof.isEmpty() ? null : List.copyOf(proof);
        }

        /** A bid signed alone: {@code signature} covers its own canonical form. */
        public JobBid(
                String jobId,
                long price,
                long etaMs,
                Resources resources,
                String signature,
                String nonce,
                Integer freeSlots) {
            this(jobId, price, etaMs, resources, signature, nonce, freeSlots, null);
        }

        /** A bid without nonce or free slots (unsigned: the sample auction of the scheduler's tests). */
        public JobBid(String jobId, long price, long etaMs, Resources resources, String signature) {
            this(jobId, price, etaMs, resources, signature, null, null, null);
        }
    }

    /** Agent → coordinator: no bid for this round of an announced job, and why (no free slot, type not priced). */
    record JobDecline(@JsonProperty(required = true) String jobId, String nonce, String reason) implements Message {}

    /**
     * Coordinator → agent: run this attempt of a job. {@code specCid} is the CID of the job's canonical spec, which the
     * agent's execution receipt names; absent when the coordinator does not ask for receipts.
     */
    record AssignJob(
            @JsonProperty(required = true) String jobId,
            @JsonProperty(required = true) int attempt,
            @JsonProperty(required = true) String jobType,
            JsonNode payload,
            Instant deadline,
            Long timeoutMs,
            String assignmentId,
            String specCid,
            @JsonInclude(JsonInclude.Include.NON_NULL) Forward forward)
            implements Message {

        /** An assignment to an ordinary node: nothing to forward to another mesh. */
        public AssignJob(
                String jobId,
                int attempt,
                String jobType,
                JsonNode payload,
                Instant deadline,
                Long timeoutMs,
                String assignmentId,
                String specCid) {
            this(jobId, attempt, jobType, payload, deadline, timeoutMs, assignmentId, specCid, null);
        }

        /** An assignment without a spec CID (no receipt asked for). */
        public AssignJob(
                String jobId,
                int attempt,
                String jobType,
                JsonNode payload,
                Instant deadline,
                Long timeoutMs,
                String assignmentId) {
            this(jobId, attempt, jobType, payload, deadline, timeoutMs, assignmentId, null);
        }
    }

    /**
     * What a peer link needs to hand a job on to the mesh behind it, sent only to peer nodes: the job's requirements
     * and scope, and its network properties if it came from another mesh itself (null: it starts here).
     */
    record Forward(
            org.planetarymesh.core.job.Requirements requirements,
            org.planetarymesh.core.job.Scope scope,
            org.planetarymesh.core.job.NetworkProps network) {}

    /** Agent → coordinator: the attempt is running. */
    record JobAccepted(
            @JsonProperty(required = true) String jobId,
            @JsonProperty(required = true) int attempt) implements Message {}

    /** Agent → coordinator: the attempt was not started ({@code out_of_capacity}, {@code unsupported}, ...). */
    record JobRejected(
            @JsonProperty(required = true) String jobId,
            @JsonProperty(required = true) int attempt,
            @JsonProperty(required = true) String errorCode,
            String message)
            implements Message {

        /** A refusal with one of the codes this version knows. */
        public JobRejected(String jobId, int attempt, ErrorCode errorCode, String message) {
            this(jobId, attempt, errorCode.wireName(), message);
        }

        /** The code as a type; {@link ErrorCode#UNKNOWN} for one this version does not know (kept as sent). */
        public ErrorCode codeKind() {
            return ErrorCode.fromWire(errorCode);
        }
    }

    /** Agent → coordinator: how far along the attempt is (0..1), optionally with a log line. */
    record JobProgress(
            @JsonProperty(required = true) String jobId,
            @JsonProperty(required = true) int attempt,
            double progress,
            String log)
            implements Message {}

    /** Agent → coordinator: a piece of streamed output, numbered from 0 per attempt. */
    record JobChunk(
            @JsonProperty(required = true) String jobId,
            @JsonProperty(required = true) int attempt,
            @JsonProperty(required = true) long seq,
            @JsonProperty(required = true) String data,
            String stream)
            implements Message {}

    /** Agent → coordinator: the attempt succeeded. */
    record JobDone(
            @JsonProperty(required = true) String jobId,
            @JsonProperty(required = true) int attempt,
            JsonNode result,
            Tokens tokens,
            long durationMs,
            String executor,
            String routeRule,
            JsonNode receipt)
            implements Message {}

    /** Agent → coordinator: the attempt failed. */
    record JobError(
            @JsonProperty(required = true) String jobId,
            @JsonProperty(required = true) int attempt,
            @JsonProperty(required = true) String errorCode,
            String message,
            boolean retryable,
            long tokensEmitted)
            implements Message {

        /** A failure with one of the codes this version knows. */
        public JobError(
                String jobId, int attempt, ErrorCode errorCode, String message, boolean retryable, long tokensEmitted) {
            this(jobId, attempt, errorCode.wireName(), message, retryable, tokensEmitted);
        }

        /** The code as a type; {@link ErrorCode#UNKNOWN} for one this version does not know (kept as sent). */
        public ErrorCode codeKind() {
            return ErrorCode.fromWire(errorCode);
        }
    }

    /** Coordinator → agent: stop this attempt. */
    record JobCancel(
            @JsonProperty(required = true) String jobId,
            @JsonProperty(required = true) int attempt,
            String reason) implements Message {}

    /** Coordinator → agent: finish running work, take no more. */
    record Drain(String reason) implements Message {}

    /** Coordinator → agent: take jobs again after a {@link Drain} the coordinator asked for. */
    record Undrain(String reason) implements Message {}

    /**
     * Agent → coordinator, last in a frame: the executor's Ed25519 {@code signature} (base64) over the Merkle root of the
     * receipt CIDs that the frame's {@code count} compact {@code job_done.receipt}s name, in frame order (docs/PROTOCOL.md,
     * ADR 0105).
     */
    record ReceiptBatch(
            @JsonProperty(required = true) int count,
            @JsonProperty(required = true) String signature) implements Message {}
}
