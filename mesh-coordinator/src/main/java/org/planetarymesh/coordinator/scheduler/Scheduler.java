package org.planetarymesh.coordinator.scheduler;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.planetarymesh.coordinator.CoordinatorConfig;
import org.planetarymesh.coordinator.auction.BidVerifier;
import org.planetarymesh.coordinator.auction.Reputation;
import org.planetarymesh.coordinator.events.JobEventHub;
import org.planetarymesh.coordinator.gateway.NodeLink;
import org.planetarymesh.coordinator.receipt.ReceiptCheck;
import org.planetarymesh.coordinator.receipt.SpecCid;
import org.planetarymesh.coordinator.stats.JobFlow;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.node.NodeInfo;
import org.planetarymesh.core.protocol.Message;
import org.planetarymesh.store.GroupCommitWriter;
import org.planetarymesh.store.JobStore;
import org.planetarymesh.store.ReputationRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's heart: one thread owns all scheduling state and is fed {@link SchedulerEvent}s through one inbox,
 * so there are no locks on the hot path and every decision sees a consistent world. This class is that thread's loop
 * and the API other threads call; the work is done by parts that live on the same thread and share its state:
 * {@link JobTable}, {@link ReadyQueue}, {@link Dispatcher} (with a {@link Placer} per policy), {@link NodeRegistry}
 * and {@link NodeLifecycle}, {@link Reports}, {@link AttemptPolicy}, {@link JobLifecycle} and {@link Dependencies},
 * {@link TimerQueue}, {@link WriteBehind} and {@link Recovery}.
 *
 * <p>A loop turn handles the events that arrived, fires the timers due, places ready jobs, sends each link its frame,
 * and hands the turn's writes to the group commit as one group. Wall time and the monotonic time timers run on come
 * from {@link SchedulerClock}, so tests drive both.
 */
public final class Scheduler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
    private static final int MAX_EVENTS_PER_TURN = 4_096;
    private static final long REPUTATION_WRITE_EVERY_MS = 1_000;

    private final JobStore store;
    private final BlockingQueue<SchedulerEvent> inbox = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean stopping;

    private final Duration defaultHeartbeat;
    private final SchedulerClock clock;
    private final JobCounts counts = new JobCounts();
    private final JobFlow flow;
    private final TimerQueue timers;
    private final JobTable jobs;
    private final ReadyQueue ready;
    private final WriteBehind writes;
    private final NodeRegistry nodes = new NodeRegistry();
    private final Dispatcher dispatcher;
    private final JobLifecycle lifecycle;
    private final AttemptPolicy attempts;
    private final Recovery recovery;
    private final NodeLifecycle nodeLifecycle;
    private final Reports reports;
    private final Reputation reputation = new Reputation();
    private final BidVerifier bidVerifier = new BidVerifier();
    private long reputationWrittenAt;
    private final Retries retries;
    private final NodeAdmin nodeAdmin;
    private final Receipts receipts;
    private final LiveOutput liveOutput = new LiveOutput();
    private final Replicas replicas;

    /** A scheduler on the system clocks. */
    public Scheduler(CoordinatorConfig config, JobStore store, GroupCommitWriter writer, JobEventHub hub) {
        this(config, store, writer, hub, InstantSource.system(), System::nanoTime);
    }

    /** A scheduler on the system clocks that tells {@code flow} of every job submitted and ended. */
    public Scheduler(
            CoordinatorConfig config, JobStore store, GroupCommitWriter writer, JobEventHub hub, JobFlow flow) {
        this(config, store, writer, hub, InstantSource.system(), System::nanoTime, flow);
    }

    /** A scheduler on the given wall clock and monotonic nanosecond source (tests pass fakes). */
    public Scheduler(
            CoordinatorConfig config,
            JobStore store,
            GroupCommitWriter writer,
            JobEventHub hub,
            InstantSource wall,
            LongSupplier nanos) {
        this(config, store, writer, hub, wall, nanos, new JobFlow(new SimpleMeterRegistry()));
    }

    /** A scheduler on the given clocks that tells {@code flow} of every job submitted and ended. */
    public Scheduler(
            CoordinatorConfig config,
            JobStore store,
            GroupCommitWriter writer,
            JobEventHub hub,
            InstantSource wall,
            LongSupplier nanos,
            JobFlow flow) {
        this.store = store;
        this.flow = flow;
        this.clock = new SchedulerClock(wall, nanos);
        this.timers = new TimerQueue(clock);
        this.jobs = new JobTable(counts, flow);
        this.ready = new ReadyQueue(jobs, timers, clock);
        this.writes = new WriteBehind(writer, hub, jobs, timers, clock);
        this.receipts = new Receipts(config.receipts());
        this.replicas = new Replicas(jobs, writes, store, reputation, flow, clock);
        this.dispatcher = new Dispatcher(jobs, ready, nodes, writes, timers, receipts, replicas, clock);
        Dependencies dependencies = new Dependencies(jobs, store);
        this.lifecycle =
                new JobLifecycle(jobs, ready, writes, dependencies, dispatcher, receipts, timers, clock, replicas);
        this.attempts = new AttemptPolicy(jobs, nodes, lifecycle, writes, store, reputation, clock);
        replicas.bind(lifecycle, attempts);
        dispatcher.use(
                org.planetarymesh.core.job.PlacementPolicy.AUCTION,
                new AuctionPlacer(config.auction(), reputation, bidVerifier, job -> SpecCid.of(job.spec())));
        dispatcher.auctionNetworkJobs(config.auction().networkJobs());
        // A job that fails its auction was ANNOUNCED, though the scheduler keeps deciding jobs QUEUED meanwhile.
        dispatcher.whenFailed((job, error) ->
                lifecycle.finish(job.transitionTo(JobStatus.ANNOUNCED, clock.now()), JobStatus.FAILED, error));
        this.recovery = new Recovery(jobs, lifecycle, attempts, timers, config.recoveryGrace(), clock, replicas);
        this.nodeLifecycle = new NodeLifecycle(nodes, jobs, ready, attempts, recovery, timers, config, clock);
        this.reports = new Reports(
                nodes,
                jobs,
                writes,
                lifecycle,
                attempts,
                nodeLifecycle,
                dispatcher,
                reputation,
                receipts,
                clock,
                new OutputCap(config.retention().maxOutputBytes(), jobs),
                liveOutput,
                replicas);
        this.retries = new Retries(
                jobs, ready, writes, timers, store, clock, task -> inbox.add(new SchedulerEvent.Task(task)), replicas);
        this.nodeAdmin = new NodeAdmin(nodes, nodeLifecycle, ready, clock);
        this.thread = Thread.ofPlatform().name("mesh-scheduler").daemon().unstarted(this::run);
        this.defaultHeartbeat = config.heartbeatInterval();
    }

    /** Loads non-terminal jobs from the store and starts the scheduling thread. */
    public void start() {
        load();
        thread.start();
    }

    /** Loads non-terminal jobs from the store and arms the health sweep, without starting the thread (tests turn it). */
    void load() {
        Map<JobStatus, Long> stored = new EnumMap<>(store.countByStatus());
        List<Job> recovered = store.loadNonTerminal();
        // Non-terminal jobs are counted as the scheduler re-admits them; terminal ones come from the store.
        recovered.forEach(job -> stored.merge(job.status(), -1L, Long::sum));
        counts.seed(stored);
        reputation.load(store.reputations());
        receipts.load(store.receiptLog());
        if (!recovered.isEmpty()) {
            inbox.add(new SchedulerEvent.Recovered(recovered));
        }
        timers.at(clock.millis(), Timer.Kind.HEALTH, null, 0);
    }

    // ---------------------------------------------------------------- API for other threads

    /** Hands durably stored new jobs to the scheduler. */
    public void submitted(List<Job> submitted) {
        inbox.add(new SchedulerEvent.Submitted(submitted));
    }

    /**
     * Takes back jobs handed over before their insert committed, when that insert failed for good: they were never
     * stored, so they leave no count behind (the stats must agree with the store), and one on a node is stopped.
     */
    public void notStored(List<String> jobIds) {
        inbox.add(new SchedulerEvent.Task(() -> jobIds.forEach(id -> {
            dispatcher.ended(id);
            attempts.notStored(id);
        })));
    }

    /** Streamed output as the scheduler accepts it, before it is committed (the OpenAI gateway's fast path). */
    public LiveOutput liveOutput() {
        return liveOutput;
    }

    /** Cancels a job; completes once the cancellation is durable, or fails with the store's error if it is not. */
    public CompletableFuture<CancelOutcome> cancel(String jobId) {
        CompletableFuture<CancelOutcome> reply = new CompletableFuture<>();
        inbox.add(new SchedulerEvent.CancelRequested(jobId, reply));
        return reply;
    }

    /**
     * Retries a FAILED, TIMED_OUT or CANCELLED job as a new attempt; completes once that is durable, or fails with the
     * store's error if it is not.
     */
    public CompletableFuture<RetryOutcome> retry(String jobId) {
        CompletableFuture<RetryOutcome> reply = new CompletableFuture<>();
        inbox.add(new SchedulerEvent.Task(() -> retries.retry(jobId, reply)));
        return reply;
    }

    /** Finished jobs were deleted from the store (retention, {@code DELETE /v1/jobs/{id}}): the counts follow. */
    public void finishedDeleted(Map<JobStatus, Long> deleted) {
        deleted.forEach(counts::deleted); // counts are atomic; finished jobs no longer concern the scheduler thread
    }

    /** Finished jobs deleted from the store since the start (so that ended jobs can still be counted). */
    public long finishedDeletedTotal() {
        return counts.deletedTotal();
    }

    /** A node joined and was told to heartbeat every {@code heartbeatInterval} (its silence limits scale by it). */
    public void nodeConnected(NodeLink link, Message.Hello hello, Duration heartbeatInterval) {
        inbox.add(new SchedulerEvent.NodeConnected(link, hello, heartbeatInterval));
    }

    /** A node joined on the configured heartbeat interval. */
    public void nodeConnected(NodeLink link, Message.Hello hello) {
        nodeConnected(link, hello, defaultHeartbeat);
    }

    /** The node's link closed; its jobs wait {@code deadAfter} for it to come back. */
    public void nodeDisconnected(String nodeId, NodeLink link) {
        inbox.add(new SchedulerEvent.NodeDisconnected(nodeId, link));
    }

    /** One message from {@code nodeId}. */
    public void fromNode(String nodeId, NodeLink link, Message message) {
        fromNode(nodeId, link, List.of(message));
    }

    /** The messages of one frame from {@code nodeId}, handled in order. */
    public void fromNode(String nodeId, NodeLink link, List<Message> messages) {
        inbox.add(new SchedulerEvent.FromNode(nodeId, link, messages));
    }

    /** The messages of one frame from {@code nodeId}, with the gateway's checks of the receipts they carry. */
    public void fromNode(
            String nodeId, NodeLink link, List<Message> messages, Map<Message.JobDone, ReceiptCheck> receipts) {
        inbox.add(new SchedulerEvent.FromNode(nodeId, link, messages, receipts));
    }

    /**
     * Turns execution receipts on or off from the next assignment on (the {@code receipts} setting at start): the
     * {@code receipts} bench compares the two on one running mesh.
     */
    public void receipts(boolean on) {
        inbox.add(new SchedulerEvent.Task(() -> receipts.enabled(on)));
    }

    /** Asks the node to finish its jobs and take no more. */
    public void drain(String nodeId) {
        inbox.add(new SchedulerEvent.DrainNode(nodeId));
    }

    /** Lets a node drained by {@link #drain} take jobs again. */
    public CompletableFuture<NodeAdminOutcome> undrain(String nodeId) {
        return onThread(() -> nodeAdmin.undrain(nodeId));
    }

    /** Forgets a node that is no longer connected (or a push node that runs nothing), retrying its jobs elsewhere. */
    public CompletableFuture<NodeAdminOutcome> removeNode(String nodeId) {
        return onThread(() -> nodeAdmin.remove(nodeId));
    }

    private <T> CompletableFuture<T> onThread(java.util.function.Supplier<T> task) {
        CompletableFuture<T> reply = new CompletableFuture<>();
        inbox.add(new SchedulerEvent.Task(() -> {
            try {
                reply.complete(task.get());
            } catch (RuntimeException e) {
                reply.completeExceptionally(e);
                throw e;
            }
        }));
        return reply;
    }

    /** Jobs per status, safe to read from any thread. */
    public Map<JobStatus, Long> counts() {
        return counts.snapshot();
    }

    /** Jobs per status, the live counters themselves (no snapshot), safe to read from any thread. */
    public JobCounts jobCounts() {
        return counts;
    }

    /** Nodes as last seen, safe to read from any thread. */
    public Collection<NodeInfo> nodes() {
        return nodes.view();
    }

    /** One node as last seen, safe to read from any thread. */
    public Optional<NodeInfo> node(String id) {
        return nodes.viewOf(id);
    }

    /** Runs {@code task} on the scheduler thread and waits for it (diagnostics and tests). */
    public void await(Runnable task) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        inbox.add(new SchedulerEvent.Task(() -> {
            task.run();
            done.complete(null);
        }));
        done.join();
    }

    /** Places jobs asking for {@code policy} with {@code placer}; call before {@link #start}. */
    void usePlacer(org.planetarymesh.core.job.PlacementPolicy policy, Placer placer) {
        dispatcher.use(policy, placer);
    }

    /**
     * Checks bids' signatures ahead of the scheduler thread: the agent gateway hands it each bid as it reads it, so the
     * scheduler only looks the answer up.
     */
    public BidVerifier bidVerifier() {
        return bidVerifier;
    }

    /** The active job with that id, or null. Only for the scheduler thread, or tests that turn the loop themselves. */
    Job activeJob(String id) {
        return jobs.get(id);
    }

    /** The group commit of the last loop turn that wrote anything. */
    CompletableFuture<?> lastCommit() {
        return writes.lastCommit();
    }

    @Override
    public void close() {
        stopping = true;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- the loop

    private void run() {
        List<SchedulerEvent> batch = new ArrayList<>();
        while (!stopping) {
            try {
                SchedulerEvent first = inbox.poll(timers.millisToNext(), TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    inbox.drainTo(batch, MAX_EVENTS_PER_TURN);
                }
                turn(batch);
            } catch (InterruptedException e) {
                if (stopping) {
                    break;
                }
            }
        }
        drainOnStop();
    }

    /** Runs loop turns until the inbox is empty, on the caller's thread (tests without the scheduler thread). */
    void runPending() {
        List<SchedulerEvent> batch = new ArrayList<>();
        do {
            inbox.drainTo(batch, MAX_EVENTS_PER_TURN);
            turn(batch);
        } while (!inbox.isEmpty());
    }

    /** One loop turn: the events that arrived, the timers due, placement, one frame per link, one group of writes. */
    private void turn(List<SchedulerEvent> batch) {
        try {
            for (SchedulerEvent event : batch) {
                handleSafely(event);
            }
            batch.clear();
            fireDueTimers();
            dispatcher.dispatch();
            nodes.releaseLinks();
            writeReputations();
            writes.flush();
        } catch (RuntimeException e) {
            LOG.error("scheduler loop error (state kept, loop continues)", e);
            batch.clear();
            nodes.releaseLinks();
            writes.flush();
        }
    }

    /** Reports that arrived before the stop (e.g. an agent's last results on Ctrl-C) are still recorded. */
    private void drainOnStop() {
        List<SchedulerEvent> rest = new ArrayList<>();
        inbox.drainTo(rest);
        rest.forEach(this::handleSafely);
        nodes.releaseLinks();
        writes.flush();
    }

    private void handleSafely(SchedulerEvent event) {
        try {
            handle(event);
        } catch (RuntimeException e) {
            LOG.error("scheduler failed to handle {}", event.getClass().getSimpleName(), e);
            if (event instanceof SchedulerEvent.CancelRequested c) {
                c.reply().completeExceptionally(e);
            }
        }
    }

    private void handle(SchedulerEvent event) {
        switch (event) {
            case SchedulerEvent.Submitted s -> {
                for (Job job : s.jobs()) {
                    flow.submitted(job);
                    lifecycle.admit(job);
                }
            }
            case SchedulerEvent.Recovered r -> recovery.recover(r.jobs());
            case SchedulerEvent.CancelRequested c -> attempts.cancel(c.jobId(), c.reply());
            case SchedulerEvent.NodeConnected c -> nodeLifecycle.connect(c.link(), c.hello(), c.heartbeatInterval());
            case SchedulerEvent.NodeDisconnected d -> nodeLifecycle.disconnect(d.nodeId(), d.link());
            case SchedulerEvent.FromNode f -> {
                for (Message m : f.messages()) {
                    reports.onMessage(f.nodeId(), f.link(), m, f.receipts());
                }
            }
            case SchedulerEvent.DrainNode d -> nodeLifecycle.drain(d.nodeId());
            case SchedulerEvent.Task t -> t.task().run();
        }
    }

    /**
     * Nodes' changed outcome counts join this turn's group commit, at most once a second: a row per node and second
     * instead of one per finished job; a crash loses at most the last second of them.
     */
    private void writeReputations() {
        long now = clock.millis();
        if (reputation.hasChanges() && now - reputationWrittenAt >= REPUTATION_WRITE_EVERY_MS) {
            reputationWrittenAt = now;
            java.time.Instant at = clock.now();
            writes.commitRows(reputation.takeChanged().stream()
                    .map(r -> new JobStore.Write.Row(new ReputationRow(r, at)))
                    .toList());
        }
    }

    private void fireDueTimers() {
        long nowMillis = clock.millis();
        for (Timer timer = timers.pollDue(nowMillis); timer != null; timer = timers.pollDue(nowMillis)) {
            Job job = timer.jobId() == null ? null : jobs.get(timer.jobId());
            switch (timer.kind()) {
                case HEALTH -> nodeLifecycle.checkHealth();
                case NOT_BEFORE -> {
                    if (job != null) {
                        lifecycle.startTimeCame(job);
                    }
                }
                case RECOVERY_GRACE -> recovery.expireOrphans();
                case RETRY_READY -> {
                    if (job != null && job.status() == JobStatus.QUEUED && job.attempt() == timer.attempt()) {
                        ready.offer(job);
                    }
                }
                case PLACEMENT_WAKE -> {
                    if (job != null && job.status() == JobStatus.QUEUED && job.attempt() == timer.attempt()) {
                        dispatcher.wake(job);
                    }
                }
                case ACK_TIMEOUT -> {
                    if (job != null && job.status() == JobStatus.ASSIGNED && job.attempt() == timer.attempt()) {
                        long timeout = dispatcher.ackTimeoutMs(job.id());
                        if (!dispatcher.resendUnacknowledged(job)) {
                            attempts.unacknowledged(job, timeout);
                        }
                    }
                }
                case ATTEMPT_TIMEOUT -> {
                    if (Reports.placedIn(job, timer.attempt())) {
                        attempts.attemptTimedOut(job);
                    }
                }
                case DEFERRED_WRITE -> {
                    if (Reports.placedIn(job, timer.attempt())) {
                        writes.writeDeferred(job);
                    }
                }
                case DEADLINE -> {
                    if (job != null && job.status().canTransitionTo(JobStatus.TIMED_OUT)) {
                        attempts.deadlinePassed(job);
                    }
                }
            }
        }
    }
}
