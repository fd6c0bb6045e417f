package org.planetarymesh.agent.executor;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;

/** What a running executor may see and do: stream output, report progress, notice cancellation, use its work dir. */
public interface ExecutionContext {

    /** Sends a piece of output on {@code stream} ({@code stdout}, {@code stderr}, {@code tokens}...), numbered in order.
     *
     * @throws ExecutorException code {@code backpressure} if the link to the coordinator took no output for 5 s; the
     *     job is then already being stopped
     */
    void emit(String stream, byte[] data) throws ExecutorException;

    /** {@link #emit(String, byte[])} for text, UTF-8 encoded. */
    default void emit(String stream, String text) throws ExecutorException {
        emit(stream, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Reports progress in 0..1 with an optional log line; dropped rather than waited for when the link is full. */
    void progress(double fraction, String log);

    /** When the attempt must end, or {@code null} if never. */
    Instant deadline();

    /** Whether the attempt was cancelled, timed out or is being stopped for another reason. */
    boolean cancelled();

    /** Runs {@code hook} when the attempt is stopped (at once if it already is), e.g. to kill a process tree. */
    void onStop(Runnable hook);

    /**
     * A directory for this attempt's files, created on the first call (an attempt that never calls this gets none).
     *
     * @throws java.io.UncheckedIOException if the directory cannot be created; thrown out of
     *     {@link Executor#execute}, it fails the job with code {@code internal} and says which directory and why
     */
    Path workDir();
}
