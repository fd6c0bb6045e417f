package org.planetarymesh.agent.runner;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.planetarymesh.agent.executor.CapabilityRouter;
import org.planetarymesh.agent.executor.Route;
import org.planetarymesh.core.job.ErrorCode;
import org.planetarymesh.core.protocol.Message;
import org.planetarymesh.executor.ExecutorException;

/**
 * Runs attempts on virtual threads, at most {@code maxConcurrent} at once: one more is refused at once with
 * {@code out_of_capacity} rather than queued, so the coordinator can place it elsewhere. Each attempt has a
 * timer at its deadline that stops it as {@code timeout}; {@link #cancel} stops it as {@code cancelled}. An executor
 * that ignores the stop is reported stopped after {@link #STOP_GRACE} anyway; its slot stays taken until it returns,
 * because that capacity really is in use.
 */
public final class JobRunner implements AutoCloseable {
    /** How long a stopped executor may take to return before its stop is reported regardless. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private final CapabilityRouter router;
    private final int maxConcurrent;
    private final Path workRoot;
    private final ExecutionObserver observer;
    private final Semaphore slots;
    // Keyed by job id and attempt: a reassigned attempt may overlap a stale one still winding down here.
    private final Map<String, JobExecution> running = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("mesh-job-timers").factory());
    private volatile boolean draining;
    private volatile boolean closing;

    public JobRunner(CapabilityRouter router, int maxConcurrent, Path workRoot) {
        this(router, maxConcurrent, workRoot, ExecutionObserver.NONE);
    }

    /** As {@link #JobRunner(CapabilityRouter, int, Path)}, telling {@code observer} of every attempt that ends. */
    public JobRunner(CapabilityRouter router, int maxConcurrent, Path workRoot, ExecutionObserver observer) {
        this.observer = observer;
        this.router = router;
        this.maxConcurrent = maxConcurrent;
        this.workRoot = workRoot;
        this.slots = new Semaphore(maxConcurrent);
    }

    /**
     * Starts {@code ticket} unless it must be refused or already runs. On {@link Admission.Accepted} the listener got
     * {@link JobListener#accepted} and will get exactly one {@link JobListener#finished}; on {@link Admission.Rejected}
     * it gets nothing.
     */
    public Admission submit(JobTicket ticket, JobListener listener) {
        if (running.containsKey(key(ticket.jobId(), ticket.attempt()))) {
            listener.accepted();
            return new Admission.AlreadyRunning();
        }
        Optional<Route> route = router.resolve(ticket.type());
        if (route.isEmpty()) {
            return new Admission.Rejected(
                    ErrorCode.UNSUPPORTED,
                    "no executor on this agent handles job type '" + ticket.type() + "' (installed: "
                            + router.executorNames() + "; add a category mapping or a fallback to route it)");
        }
        try {
            route.get().executor().check(ticket.payload());
        } catch (ExecutorException e) {
            return new Admission.Rejected(ExecutorCodes.onWire(e.code()), e.getMessage());
        }
        if (draining) {
            return new Admission.Rejected(ErrorCode.OUT_OF_CAPACITY, "agent is draining and takes no new jobs");
        }
        if (!slots.tryAcquire()) {
            return new Admission.Rejected(
                    ErrorCode.OUT_OF_CAPACITY, "agent is running its maximum of " + maxConcurrent + " jobs");
        }
        JobExecution execution = new JobExecution(ticket, route.get(), listener, workRoot, observer);
        running.put(key(ticket.jobId(), ticket.attempt()), execution);
        listener.accepted();
        if (route.get().executor().runsInline()) {
            // Returns before a deadline timer or a cancel could matter; no thread of its own either.
            runAndRelease(execution, null, false);
        } else {
            var timer = ticket.deadline() == null
                    ? null
                    : timers.schedule(
                            () -> stop(
                                    execution,
                                    StopReason.TIMEOUT,
                                    "the job ran past its deadline " + ticket.deadline() + " and was stopped"),
                            Math.max(
                                    0,
                                    Duration.between(Instant.now(), ticket.deadline())
                                            .toMillis()),
                            TimeUnit.MILLISECONDS);
            Thread.ofVirtual().name("job-" + ticket.jobId()).start(() -> runAndRelease(execution, timer, true));
        }
        return new Admission.Accepted(
                route.get().executor().name(), route.get().rule().wireName());
    }

    private void runAndRelease(JobExecution execution, ScheduledFuture<?> timer, boolean ownThread) {
        try {
            execution.run(ownThread);
        } finally {
            if (timer != null) {
                timer.cancel(false);
            }
            running.remove(key(execution.ticket().jobId(), execution.ticket().attempt()), execution);
            slots.release();
        }
    }

    /**
     * Stops the running {@code attempt} of {@code jobId} (every attempt if {@code attempt <= 0}) as {@code cancelled};
     * {@code false} if none is running.
     */
    public boolean cancel(String jobId, int attempt, String reason) {
        String detail = reason == null || reason.isBlank() ? "cancelled" : "cancelled: " + reason;
        List<JobExecution> targets = running.values().stream()
                .filter(e -> e.ticket().jobId().equals(jobId)
                        && (attempt <= 0 || e.ticket().attempt() == attempt))
                .toList();
        targets.forEach(e -> stop(e, StopReason.CANCELLED, detail));
        return !targets.isEmpty();
    }

    private static String key(String jobId, int attempt) {
        return jobId + "#" + attempt;
    }

    private void stop(JobExecution execution, StopReason reason, String detail) {
        execution.stop(reason, detail);
        if (!timers.isShutdown()) {
            try {
                timers.schedule(execution::forceReportIfStuck, STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // Closing: close() reports stuck executions itself.
            }
        }
    }

    /** How many attempts are running now (read by the agent's metrics). */
    public int runningCount() {
        return running.size();
    }

    /** The attempts still running, for {@code hello} and heartbeats. */
    public List<Message.RunningJob> running() {
        return running.values().stream()
                .filter(e -> !e.reported())
                .map(e -> new Message.RunningJob(e.ticket().jobId(), e.ticket().attempt()))
                .toList();
    }

    /** How many attempts hold a slot now. */
    public int active() {
        return maxConcurrent - slots.availablePermits();
    }

    /** Running attempts / max_concurrent. */
    /** How many more attempts it would start now. */
    public int freeSlots() {
        return slots.availablePermits();
    }

    public double load() {
        return (double) (maxConcurrent - slots.availablePermits()) / maxConcurrent;
    }

    /** Takes no new jobs from now on; running ones continue. */
    public void drain() {
        draining = true;
    }

    /** Takes no new jobs ever again: the agent is shutting down, and no {@link #undrain()} changes that. */
    public void drainToStop() {
        closing = true;
        draining = true;
    }

    /**
     * Takes jobs again after a drain the coordinator asked for; returns false, and stays draining, if this agent is
     * shutting down.
     */
    public boolean undrain() {
        if (closing) {
            return false;
        }
        draining = false;
        return true;
    }

    /** Whether {@link #drain()} was called. */
    public boolean draining() {
        return draining;
    }

    /** Waits until no attempt is running or {@code timeout} passes; {@code true} if none is running. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        if (slots.tryAcquire(maxConcurrent, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            slots.release(maxConcurrent);
            return true;
        }
        return false;
    }

    /** Drains, stops whatever still runs as {@code agent_stopping}, and ends the timers. */
    @Override
    public void close() {
        drainToStop();
        running.values().forEach(e -> e.stop(StopReason.AGENT_STOPPING, "the agent shut down before the job finished"));
        try {
            awaitIdle(Duration.ofSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        running.values().forEach(JobExecution::forceReportIfStuck);
        timers.shutdownNow();
    }
}
