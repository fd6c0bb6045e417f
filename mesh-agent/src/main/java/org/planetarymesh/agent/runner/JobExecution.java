package org.planetarymesh.agent.runner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.planetarymesh.agent.executor.Route;
import org.planetarymesh.executor.ErrorCode;
import org.planetarymesh.executor.ExecutionContext;
import org.planetarymesh.executor.ExecutionRequest;
import org.planetarymesh.executor.ExecutionResult;
import org.planetarymesh.executor.ExecutorException;
import org.planetarymesh.executor.Usage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running attempt: the {@link ExecutionContext} its executor sees, and the logic that turns how it ended (result,
 * exception, or a stop for timeout/cancel/backpressure) into exactly one {@link Outcome}. This is where the executor
 * API meets the wire: error codes become their wire names, usage becomes the report's token counts.
 */
final class JobExecution implements ExecutionContext {
    private static final Logger LOG = LoggerFactory.getLogger(JobExecution.class);
    static final Duration BACKPRESSURE_WAIT = Duration.ofSeconds(5);

    private final JobTicket ticket;
    private final Route route;
    private final JobListener listener;
    private final Path workRoot;
    private final ExecutionObserver observer;
    // Made on first use only: most jobs (echo, sleep, http without save_as) never ask, and a path plus a mkdir per
    // job adds up.
    private volatile Path workDir;
    private final long startNanos = System.nanoTime();
    private final AtomicLong seq = new AtomicLong();
    private final AtomicReference<StopReason> stopReason = new AtomicReference<>();
    private final AtomicBoolean reported = new AtomicBoolean();
    private final List<Runnable> stopHooks = new CopyOnWriteArrayList<>();
    private volatile String stopDetail = "";
    private volatile Usage usage = Usage.NONE;
    private volatile boolean outcomeDelivered;
    private volatile Thread thread;

    JobExecution(JobTicket ticket, Route route, JobListener listener, Path workRoot, ExecutionObserver observer) {
        this.ticket = ticket;
        this.route = route;
        this.listener = listener;
        this.workRoot = workRoot;
        this.observer = observer;
    }

    JobTicket ticket() {
        return ticket;
    }

    /**
     * Runs the attempt on the calling thread. {@code ownThread}: the thread is the attempt's alone, so a stop may
     * interrupt it and its interrupt flag is cleared at the end; an inline run borrows its caller's thread and leaves
     * both alone.
     */
    void run(boolean ownThread) {
        if (ownThread) {
            thread = Thread.currentThread();
        }
        ExecutionRequest request = new ExecutionRequest(
                ticket.jobId(), ticket.attempt(), ticket.type(), ticket.payload(), ticket.deadline());
        try {
            ExecutionResult result = route.executor().execute(request, this);
            if (stopReason.get() != null) {
                reportStopped();
            } else {
                report(new Outcome.Done(
                        result == null ? null : result.value(),
                        usage,
                        elapsedMs(),
                        route.executor().name(),
                        route.rule().wireName()));
            }
        } catch (Exception | LinkageError | StackOverflowError e) {
            if (stopReason.get() == StopReason.TIMEOUT
                    && e instanceof ExecutorException ee
                    && ee.code() == ErrorCode.BACKEND_TIMEOUT) {
                // The executor says more precisely what ran out of time: the backend it was waiting on.
                failed(ExecutorCodes.onWire(ee.code()), ee.getMessage(), ee.retryable());
            } else if (stopReason.get() != null) {
                reportStopped();
            } else if (e instanceof WorkDirUnavailable w) {
                LOG.warn("job {}: {}", ticket.jobId(), w.getMessage());
                failed(ExecutorCodes.onWire(ErrorCode.INTERNAL), w.getMessage(), true);
            } else if (e instanceof ExecutorException ee) {
                failed(ExecutorCodes.onWire(ee.code()), ee.getMessage(), ee.retryable());
            } else if (e instanceof InterruptedException) {
                failed(ExecutorCodes.onWire(ErrorCode.INTERNAL), "the job's thread was interrupted unexpectedly", true);
            } else {
                LOG.warn("executor {} failed on job {}", route.executor().name(), ticket.jobId(), e);
                failed(
                        ExecutorCodes.onWire(ErrorCode.EXECUTOR_ERROR),
                        route.executor().name() + " failed: " + e.getClass().getSimpleName() + ": " + e.getMessage(),
                        true);
            }
        } finally {
            if (ownThread) {
                Thread.interrupted();
            }
        }
    }

    /** Stops the attempt for {@code reason}; only the first reason counts. */
    void stop(StopReason reason, String detail) {
        if (!stopReason.compareAndSet(null, reason)) {
            return;
        }
        stopDetail = detail;
        // Hooks may block (killing a process tree waits for it to exit); the caller is a timer or the link's reader.
        Thread.ofVirtual().name("stop-" + ticket.jobId()).start(() -> stopHooks.forEach(JobExecution::runQuietly));
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    /** Reports the stop even though the executor has not returned (it ignored interruption past the grace). */
    void forceReportIfStuck() {
        if (stopReason.get() != null && !reported.get()) {
            LOG.warn(
                    "executor {} did not stop job {} in time; reporting it stopped",
                    route.executor().name(),
                    ticket.jobId());
            reportStopped();
        }
    }

    private void reportStopped() {
        StopReason reason = stopReason.get();
        failed(reason.code, stopDetail, reason.retryable);
    }

    private void failed(org.planetarymesh.core.job.ErrorCode code, String message, boolean retryable) {
        report(new Outcome.Failed(code, message, retryable, elapsedMs(), usage.tokensOut()));
    }

    private void report(Outcome outcome) {
        if (reported.compareAndSet(false, true)) {
            observer.finished(route.executor().name(), outcome);
            listener.finished(outcome);
            outcomeDelivered = true;
        }
    }

    /** Whether the outcome has been handed to the listener (so the attempt no longer counts as running). */
    boolean reported() {
        return outcomeDelivered;
    }

    private long elapsedMs() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static void runQuietly(Runnable hook) {
        try {
            hook.run();
        } catch (RuntimeException e) {
            LOG.warn("stop hook failed", e);
        }
    }

    @Override
    public void emit(String stream, byte[] data) throws ExecutorException {
        if (stopReason.get() != null) {
            throw new ExecutorException(ErrorCode.CANCELLED, "the job is being stopped", false);
        }
        boolean queued;
        // seq is taken under the lock so that chunks from two pump threads are queued in seq order.
        synchronized (seq) {
            try {
                queued = listener.chunk(seq.get(), stream, data, BACKPRESSURE_WAIT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ExecutorException(ErrorCode.CANCELLED, "interrupted while queueing output", false);
            }
            if (queued) {
                seq.incrementAndGet();
            }
        }
        if (!queued) {
            String message = "the link to the coordinator took no output for " + BACKPRESSURE_WAIT.toSeconds()
                    + " s (outbound buffer full); the job was stopped rather than buffer without bound";
            stop(StopReason.BACKPRESSURE, message);
            throw new ExecutorException(ErrorCode.BACKPRESSURE, message, true);
        }
    }

    @Override
    public void progress(double fraction, String log) {
        if (stopReason.get() == null) {
            listener.progress(Math.max(0, Math.min(1, fraction)), log);
        }
    }

    @Override
    public void usage(Usage usage) {
        this.usage = usage == null ? Usage.NONE : usage;
    }

    @Override
    public Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    @Override
    public Instant deadline() {
        return ticket.deadline();
    }

    @Override
    public boolean cancelled() {
        return stopReason.get() != null;
    }

    @Override
    public void onCancel(Runnable hook) {
        stopHooks.add(hook);
        if (stopReason.get() != null && stopHooks.remove(hook)) {
            runQuietly(hook);
        }
    }

    @Override
    public Path workDir() {
        Path made = workDir;
        if (made == null) {
            // Executors may call this from several threads; one creation attempt at a time, each retried if it failed.
            synchronized (this) {
                made = workDir;
                if (made == null) {
                    Path dir = workRoot.resolve(safe(ticket.jobId()) + "-" + ticket.attempt());
                    try {
                        Files.createDirectories(dir);
                    } catch (IOException e) {
                        throw new WorkDirUnavailable(
                                "cannot create the work dir " + dir + " for job " + ticket.jobId() + " attempt "
                                        + ticket.attempt() + ": " + e.getClass().getSimpleName() + ": "
                                        + e.getMessage(),
                                e);
                    }
                    workDir = dir;
                    made = dir;
                }
            }
        }
        return made;
    }

    private static String safe(String id) {
        return id.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** The attempt's work dir could not be created; {@link #run} reports it as {@code internal}, not an executor bug. */
    static final class WorkDirUnavailable extends UncheckedIOException {
        WorkDirUnavailable(String message, IOException cause) {
            super(message, cause);
        }
    }
}
