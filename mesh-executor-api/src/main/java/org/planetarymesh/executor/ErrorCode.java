package org.planetarymesh.executor;

import java.util.Locale;

/**
 * Why an execution failed or was refused. Each code travels to the coordinator under its {@link #wireName()} (the
 * names of the mesh protocol, e.g. {@code out_of_capacity}); the coordinator treats the refusals ({@link
 * #OUT_OF_CAPACITY}, {@link #UNSUPPORTED}, {@link #MODEL_NOT_LOADED}) as "try another node", not as a failed attempt.
 */
public enum ErrorCode {
    /** This agent is full right now; the job is placed again without using an attempt. */
    OUT_OF_CAPACITY(true),
    /** The model the job names is not loaded here; another node may have it. */
    MODEL_NOT_LOADED(false),
    /** The backend this executor relays to cannot be reached. */
    BACKEND_UNREACHABLE(true),
    /** The backend this executor relays to did not answer in time. */
    BACKEND_TIMEOUT(true),
    /** The backend refused this executor's credentials. */
    AUTH_REJECTED_BY_BACKEND(false),
    /** This agent will not run this job (e.g. a command or host not allow-listed); another node may. */
    UNSUPPORTED(false),
    /** The payload is malformed for this executor; no node would run it. */
    INVALID_PAYLOAD(false),
    /** The work itself failed (a command exited non-zero, a request failed). */
    EXECUTOR_ERROR(true),
    /** The executor's own time limit passed (the runner reports the job's deadline as timeout too). */
    TIMEOUT(true),
    /** The attempt was cancelled. */
    CANCELLED(false),
    /** Output could not be handed to the coordinator in time; the attempt was stopped. */
    BACKPRESSURE(true),
    /** Something broke in the agent rather than in the job. */
    INTERNAL(true),
    /** A WebAssembly module trapped (unreachable, division by zero, out-of-bounds access...). */
    WASM_TRAP(false),
    /** A WebAssembly module used up the instruction budget (fuel) its job gave it. */
    WASM_OUT_OF_FUEL(false),
    /** A WebAssembly module needed more memory than its cap (pages) allows. */
    WASM_OUT_OF_MEMORY(false),
    /** The bytes are not a valid WebAssembly module, or it cannot be linked (unknown imports). */
    WASM_MALFORMED(false);

    private final boolean retryable;
    private final String wireName;

    ErrorCode(boolean retryable) {
        this.retryable = retryable;
        this.wireName = name().toLowerCase(Locale.ROOT);
    }

    /** The protocol's name for this code, e.g. {@code invalid_payload}. */
    public String wireName() {
        return wireName;
    }

    /** Whether another attempt may succeed, unless the executor says otherwise. */
    public boolean retryableByDefault() {
        return retryable;
    }
}
