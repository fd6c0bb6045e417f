package org.planetarymesh.executor;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * What a running execution may see and do: stream output and progress, report usage, notice that it must stop
 * (cancel, deadline, agent shutdown), and use a work directory. One context per attempt; its methods are safe to call
 * from any thread the executor starts.
 */
public interface ExecutionContext {

    /**
     * Sends a piece of output on {@code stream} ({@code stdout}, {@code stderr}, {@code tokens}...), numbered in order;
     * clients follow it live ({@code mesh logs -f}).
     *
     * @throws ExecutorException {@link ErrorCode#BACKPRESSURE} if the link to the coordinator took no output for 5 s
     *     (the attempt is then already being stopped), or {@link ErrorCode#CANCELLED} once it is being stopped
     */
    void emit(String stream, byte[] data) throws ExecutorException;

    /** {@link #emit(String, byte[])} for text, UTF-8 encoded. */
    default void emit(String stream, String text) throws ExecutorException {
        emit(stream, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Reports progress in 0..1 with an optional log line ({@code null} for none); dropped when the link is full. */
    void progress(double fraction, String log);

    /**
     * Reports the tokens used so far (the latest call counts); sent with the attempt's result, or with its error as
     * the tokens already emitted.
     */
    void usage(Usage usage);

    /** How long this attempt has run; the runner reports the final figure as its {@code duration_ms}. */
    Duration elapsed();

    /** When the attempt must end, or {@code null} if never; the runner stops it then as {@code timeout}. */
    Instant deadline();

    /** Whether the attempt is being stopped (cancelled, past its deadline, agent stopping): return soon. */
    boolean cancelled();

    /**
     * Runs {@code hook} once when the attempt is stopped, on another thread (or at once on the calling thread if it
     * already is), e.g. to kill a process tree or abort a request. The executor's thread is also interrupted.
     */
    void onCancel(Runnable hook);

    /**
     * A directory for this attempt's files, created on the first call (an attempt that never calls this gets none).
     *
     * @throws java.io.UncheckedIOException if the directory cannot be created; thrown out of {@link Executor#execute},
     *     it fails the job with {@link ErrorCode#INTERNAL} and says which directory and why
     */
    Path workDir();
}
