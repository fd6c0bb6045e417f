package org.planetarymesh.core.job;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Why an attempt or a job failed, or why a node refused an attempt: the stable machine codes of the protocol, the
 * store and the API, each under its {@link #wireName()} ({@code out_of_capacity}, {@code node_lost}, ...).
 *
 * <p>Records that carry a code received from elsewhere ({@link JobError}, {@code Message.JobError}, {@code
 * Message.JobRejected}) keep it as the string that arrived and offer it typed through {@code codeKind()}: a newer
 * agent (or a push-mode node) may send a code this version does not know, and the coordinator must store and show it
 * as sent, not as a placeholder. Such a code reads as {@link #UNKNOWN}, which the scheduler treats as an ordinary
 * failure.
 */
public enum ErrorCode {
    /** The node is full right now; the job is placed again without using an attempt. */
    OUT_OF_CAPACITY,
    /** The model the job names is not loaded on that node; another node may have it. */
    MODEL_NOT_LOADED,
    /** The backend an executor relays to (or a push-mode node) cannot be reached. */
    BACKEND_UNREACHABLE,
    /** The backend an executor relays to did not answer in time. */
    BACKEND_TIMEOUT,
    /** The backend refused the executor's credentials. */
    AUTH_REJECTED_BY_BACKEND,
    /** The node will not run this job (unknown type, command or host not allow-listed); another node may. */
    UNSUPPORTED,
    /** The payload is malformed for its executor; no node would run it. */
    INVALID_PAYLOAD,
    /** The work itself failed (a command exited non-zero, a request failed). */
    EXECUTOR_ERROR,
    /** The attempt ran past its time limit. */
    TIMEOUT,
    /** The attempt or job was cancelled. */
    CANCELLED,
    /** The agent could not hand output to the coordinator in time and stopped the attempt. */
    BACKPRESSURE,
    /** Something broke in the agent or coordinator rather than in the job. */
    INTERNAL,
    /** The node holding the attempt stopped responding, or came back without it. */
    NODE_LOST,
    /** The agent shut down and handed the attempt back; no attempt is used. */
    AGENT_STOPPING,
    /** The job's deadline passed before it completed. */
    DEADLINE_EXCEEDED,
    /** A job it depends on did not complete. */
    DEPENDENCY_FAILED,
    /** The result is larger than one protocol frame. */
    RESULT_TOO_LARGE,
    /** An auctioned job got no acceptable bid in any of its rounds; the message says what each node answered. */
    NO_ACCEPTABLE_BID,
    /** The executing node's signed receipt did not verify (signature, signer, attempt, spec or output digest). */
    INVALID_RECEIPT,
    /** A WebAssembly module trapped (unreachable, division by zero, out-of-bounds access...). */
    WASM_TRAP,
    /** A WebAssembly module used up the instruction budget (fuel) its job gave it. */
    WASM_OUT_OF_FUEL,
    /** A WebAssembly module needed more memory than its cap (pages) allows. */
    WASM_OUT_OF_MEMORY,
    /** The bytes are not a valid WebAssembly module, or it cannot be linked (unknown imports). */
    WASM_MALFORMED,
    /** A job run on several nodes to verify it ({@code verify}) got no output from enough of them to agree on. */
    QUORUM_NOT_REACHED,
    /** A code this version does not know (sent by a newer agent or a push-mode node); the raw code is kept. */
    UNKNOWN;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    /** The protocol's name for this code, e.g. {@code out_of_capacity}. */
    @JsonValue
    public String wireName() {
        return wireName;
    }

    /**
     * Whether a node answering so refused the attempt before starting it, so another node may run it: {@code
     * out_of_capacity}, {@code unsupported}, {@code model_not_loaded}. A push-mode node's refusal is reported as a
     * rejection, not a failure.
     */
    public boolean isRefusal() {
        return this == OUT_OF_CAPACITY || this == UNSUPPORTED || this == MODEL_NOT_LOADED;
    }

    /** The code with this wire name; {@link #UNKNOWN} for null or a name this version does not know. */
    @JsonCreator
    public static ErrorCode fromWire(String name) {
        if (name == null) {
            return UNKNOWN;
        }
        for (ErrorCode code : VALUES) {
            if (code.wireName.equals(name)) {
                return code;
            }
        }
        return UNKNOWN;
    }

    private static final ErrorCode[] VALUES = values();
}
