package org.planetarymesh.coordinator.scheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.planetarymesh.coordinator.CoordinatorConfig;
import org.planetarymesh.coordinator.events.JobEventHub;
import org.planetarymesh.coordinator.gateway.NodeLink;
import org.planetarymesh.core.job.Job;
import org.planetarymesh.core.job.JobError;
import org.planetarymesh.core.job.JobEvent;
import org.planetarymesh.core.job.JobStatus;
import org.planetarymesh.core.job.PlacementPolicy;
import org.planetarymesh.core.job.Routing;
import org.planetarymesh.core.node.NodeInfo;
import org.planetarymesh.core.node.NodeStatus;
import org.planetarymesh.core.protocol.Message;
import org.planetarymesh.store.GroupCommitWriter;
import org.planetarymesh.store.JobStore;
import org.planetarymesh.store.JobStore.Write;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's heart: one thread owns all scheduling state (active jobs, the ready queue, nodes and their free
 * slots, timers) and is fed {@link SchedulerEvent}s through one inbox, so there are no locks on the hot path and
 * every decision sees a consistent world.
 *
 * <p>Every decision of one loop turn is written behind, as one group through the {@link GroupCommitWriter}: events
 * reach SSE subscribers, and replies (a cancel's) are sent, only after their commit. The one effect that does not wait
 * is the {@code assign_job} frame, whose ASSIGNED state (and RUNNING after it) is written 50 ms later and only if the
 * attempt still runs: a job whose ASSIGNED state is lost in a crash is still QUEUED in the store and runs again after
 * recovery (at-least-once), which costs nothing a client was promised and saves two writes on every short job. The
 * attempt number fences reports: a report for any attempt but the current one is ignored, so a job reassigned after
 * its node vanished is recorded once.
 */
public final class Scheduler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
    private static final long REJECTION_PAUSE_MS = 200;
    private static final long DEFERRED_WRITE_DELAY_MS = 50;
    private static final String OUT_OF_CAPACITY = "out_of_capacity";
    private static final String AGENT_STOPPING = "agent_stopping";
    private static final String INTERRUPTED = "interrupted";
    /** Attempt outcomes that do not count against {@code max_attempts}: the job never really got its chance. */
    private static final Set<String> FREE_OUTCOMES = Set.of("rejected", INTERRUPTED);

    private static final int RECENTLY_ENDED = 100_000;

    private final CoordinatorConfig config;
    private final JobStore store;
    private final GroupCommitWriter writer;
    private final JobEventHub hub;
    private final BlockingQueue<SchedulerEvent> inbox = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean stopping;

    // --- state below is touched only by the scheduler thread ---
    private final Map<String, Job> active = new HashMap<>();
    private final PriorityQueue<Job> ready = new PriorityQueue<>(
            Comparator.comparingInt((Job j) -> -j.spec().priority()).thenComparing(Job::id));
    private final Set<String> inReady = new HashSet<>();
    private final List<Job> parked = new ArrayList<>();
    private final Map<String, NodeState> nodes = new LinkedHashMap<>();
    // The same nodes in join order as a list for the placer, copied whenever a node joins or leaves.
    private List<NodeState> placementOrder = List.of();
    private final Map<String, Set<String>> dependents = new HashMap<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final Set<String> orphans = new HashSet<>();
    private final Map<String, Set<String>> refusedBy = new HashMap<>();
    /**
     * Jobs whose ASSIGNED or RUNNING state is in memory only, with a write due (see {@link #deferWrite}), mapped to the
     * first state not written: its status event is still owed when the write happens.
     */
    private final Map<String, Job> unwritten = new HashMap<>();
    /**
     * Statuses of jobs that ended recently. A job leaves {@link #active} when it ends, but its terminal state reaches
     * the store only when the group commit lands; dependents checked in between must not read the older stored state.
     */
    private final Map<String, JobStatus> recentlyEnded = new LinkedHashMap<>(1_024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, JobStatus> eldest) {
            return size() > RECENTLY_ENDED;
        }
    };

    private final SplittableRandom random = new SplittableRandom();
    private final Placer leastLoaded = new Placer.LeastLoaded();
    private final Placer firstHealthy = new Placer.FirstHealthy();
    private final Placer binPack = new Placer.BinPack();
    private int freeSlots;
    private CompletableFuture<?> lastCommit = CompletableFuture.completedFuture(null);
    // Writes, their events and the actions waiting for them, decided in the current loop turn (see flushWrites).
    private final List<Write> pendingWrites = new ArrayList<>();
    private final List<JobEvent> pendingEvents = new ArrayList<>();
    private final List<Job> pendingEnded = new ArrayList<>();
    private final List<Runnable> pendingActions = new ArrayList<>();
    // Links sent to in the current loop turn, held until its end so each gets one frame (see releaseLinks).
    private final Set<NodeLink> heldLinks = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    // --- published for other threads ---
    private final Map<String, NodeInfo> nodeView = new ConcurrentHashMap<>();
    private final JobCounts counts = new JobCounts();

    public Scheduler(CoordinatorConfig config, JobStore store, GroupCommitWriter writer, JobEventHub hub) {
        this.config = config;
        this.store = store;
        this.writer = writer;
        this.hub = hub;
        this.thread = Thread.ofPlatform().name("mesh-scheduler").daemon().unstarted(this::run);
    }

    /** Loads non-terminal jobs from the store and starts the scheduling thread. */
    public void start() {
        Map<JobStatus, Long> stored = new java.util.EnumMap<>(store.countByStatus());
        List<Job> recovered = store.loadNonTerminal();
        // Non-terminal jobs are counted as the scheduler re-admits them; terminal ones come from the store.
        recovered.forEach(job -> stored.merge(job.status(), -1L, Long::sum));
        counts.seed(stored);
        if (!recovered.isEmpty()) {
            inbox.add(new SchedulerEvent.Recovered(recovered));
        }
        timers.add(new Timer(now().toEpochMilli(), Timer.Kind.HEALTH, null, 0));
        thread.start();
    }

    // ---------------------------------------------------------------- API for other threads

    /** Hands durably stored new jobs to the scheduler. */
    public void submitted(List<Job> jobs) {
        inbox.add(new SchedulerEvent.Submitted(jobs));
    }

    /**
     * Takes back jobs handed over before their insert committed, when that insert failed for good: they were never
     * stored, so they leave no count behind (the stats must agree with the store), and one on a node is stopped.
     */
    public void notStored(List<String> jobIds) {
        inbox.add(new SchedulerEvent.Task(() -> jobIds.forEach(this::forget)));
    }

    private void forget(String jobId) {
        Job job = active.remove(jobId);
        JobStatus counted = job != null ? job.status() : recentlyEnded.remove(jobId);
        if (job != null) {
            stopOnNode(job, "its insert failed");
            unwritten.remove(jobId);
            orphans.remove(jobId);
            refusedBy.remove(jobId);
        }
        if (counted != null) {
            counts.forgot(counted);
        }
    }

    /** Cancels a job; completes once the cancellation is durable. */
    public CompletableFuture<CancelOutcome> cancel(String jobId) {
        CompletableFuture<CancelOutcome> reply = new CompletableFuture<>();
        inbox.add(new SchedulerEvent.CancelRequested(jobId, reply));
        return reply;
    }

    /** A node joined and was told to heartbeat every {@code heartbeatInterval} (its silence limits scale by it). */
    public void nodeConnected(NodeLink link, Message.Hello hello, Duration heartbeatInterval) {
        inbox.add(new SchedulerEvent.NodeConnected(link, hello, heartbeatInterval));
    }

    /** A node joined on the configured heartbeat interval. */
    public void nodeConnected(NodeLink link, Message.Hello hello) {
        nodeConnected(link, hello, config.heartbeatInterval());
    }

    public void nodeDisconnected(String nodeId, NodeLink link) {
        inbox.add(new SchedulerEvent.NodeDisconnected(nodeId, link));
    }

    public void fromNode(String nodeId, NodeLink link, Message message) {
        fromNode(nodeId, link, List.of(message));
    }

    /** The messages of one frame from {@code nodeId}, handled in order. */
    public void fromNode(String nodeId, NodeLink link, List<Message> messages) {
        inbox.add(new SchedulerEvent.FromNode(nodeId, link, messages));
    }

    public void drain(String nodeId) {
        inbox.add(new SchedulerEvent.DrainNode(nodeId));
    }

    /** Jobs per status, safe to read from any thread. */
    public Map<JobStatus, Long> counts() {
        return counts.snapshot();
    }

    /** Nodes as last seen, safe to read from any thread. */
    public Collection<NodeInfo> nodes() {
        return nodeView.values();
    }

    public Optional<NodeInfo> node(String id) {
        return Optional.ofNullable(nodeView.get(id));
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
                SchedulerEvent first = inbox.poll(millisToNextTimer(), TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    inbox.drainTo(batch, 4_096);
                }
                for (SchedulerEvent event : batch) {
                    handleSafely(event);
                }
                batch.clear();
                fireDueTimers();
                dispatch();
                releaseLinks();
                flushWrites();
            } catch (InterruptedException e) {
                if (stopping) {
                    break;
                }
            } catch (RuntimeException e) {
                LOG.error("scheduler loop error (state kept, loop continues)", e);
                batch.clear();
                releaseLinks();
                flushWrites();
            }
        }
        drainOnStop();
    }

    /** Reports that arrived before the stop (e.g. an agent's last results on Ctrl-C) are still recorded. */
    private void drainOnStop() {
        List<SchedulerEvent> rest = new ArrayList<>();
        inbox.drainTo(rest);
        rest.forEach(this::handleSafely);
        releaseLinks();
        flushWrites();
    }

    /** Sends on the node's link, holding the link until the turn ends so the turn's messages share one frame. */
    private void send(NodeState node, Message message) {
        if (heldLinks.add(node.link)) {
            node.link.hold();
        }
        node.link.send(message);
    }

    /** Ends the turn's holds: each link sent to writes its messages now, as one frame. */
    private void releaseLinks() {
        heldLinks.forEach(NodeLink::release);
        heldLinks.clear();
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
            case SchedulerEvent.Submitted s -> s.jobs().forEach(this::admit);
            case SchedulerEvent.Recovered r -> recover(r.jobs());
            case SchedulerEvent.CancelRequested c -> cancel(c.jobId(), c.reply());
            case SchedulerEvent.NodeConnected c -> connect(c.link(), c.hello(), c.heartbeatInterval());
            case SchedulerEvent.NodeDisconnected d -> disconnect(d.nodeId(), d.link());
            case SchedulerEvent.FromNode f -> f.messages().forEach(m -> onNodeMessage(f.nodeId(), f.link(), m));
            case SchedulerEvent.DrainNode d -> drainNode(d.nodeId());
            case SchedulerEvent.Task t -> t.task().run();
        }
    }

    private long millisToNextTimer() {
        Timer next = timers.peek();
        if (next == null) {
            return 1_000;
        }
        return Math.max(0, next.dueMillis() - System.currentTimeMillis());
    }

    private static Instant now() {
        return Instant.now();
    }

    // ---------------------------------------------------------------- admission, dependencies, recovery

    private void admit(Job job) {
        track(job);
        if (job.spec().deadline() != null) {
            timers.add(new Timer(job.spec().deadline().toEpochMilli(), Timer.Kind.DEADLINE, job.id(), 0));
        }
        switch (job.status()) {
            case PENDING -> awaitDependencies(job);
            case QUEUED -> makeReady(job);
            default -> {}
        }
    }

    private void awaitDependencies(Job job) {
        boolean waiting = false;
        for (String dep : job.spec().dependsOn()) {
            Job known = active.get(dep);
            JobStatus status = known != null ? known.status() : recentlyEnded.get(dep);
            if (status == null) {
                status = store.find(dep).map(Job::status).orElse(null);
            }
            if (status == null) {
                failDependent(job, "dependency " + dep + " does not exist");
                return;
            }
            if (status == JobStatus.COMPLETED) {
                continue;
            }
            if (status.isTerminal()) {
                failDependent(job, "dependency " + dep + " ended " + status);
                return;
            }
            dependents.computeIfAbsent(dep, d -> new HashSet<>()).add(job.id());
            waiting = true;
        }
        if (!waiting) {
            update(job.released(now()));
        }
    }

    private void failDependent(Job job, String why) {
        finish(job, JobStatus.FAILED, new JobError("dependency_failed", why));
    }

    private void dependencyEnded(Job dep) {
        Set<String> waiting = dependents.remove(dep.id());
        if (waiting == null) {
            return;
        }
        for (String id : waiting) {
            Job job = active.get(id);
            if (job == null || job.status() != JobStatus.PENDING) {
                continue;
            }
            if (dep.status() != JobStatus.COMPLETED) {
                failDependent(job, "dependency " + dep.id() + " ended " + dep.status());
            } else {
                awaitDependencies(job); // re-checks the others; releases when all are done
            }
        }
    }

    private void recover(List<Job> jobs) {
        Instant now = now();
        int requeued = 0;
        for (Job job : jobs) {
            switch (job.status()) {
                case ANNOUNCED -> {
                    track(job);
                    update(job.transitionTo(JobStatus.QUEUED, now));
                    requeued++;
                }
                case ASSIGNED, RUNNING -> {
                    track(job);
                    orphans.add(job.id());
                }
                default -> admit(job);
            }
        }
        timers.add(new Timer(now.plus(config.recoveryGrace()).toEpochMilli(), Timer.Kind.RECOVERY_GRACE, null, 0));
        LOG.info(
                "recovered {} unfinished jobs ({} waiting for their agents to reconnect, {} requeued)",
                jobs.size(),
                orphans.size(),
                requeued);
    }

    // ---------------------------------------------------------------- placement

    private void makeReady(Job job) {
        if (job.notBefore() != null && job.notBefore().isAfter(now())) {
            timers.add(new Timer(job.notBefore().toEpochMilli(), Timer.Kind.RETRY_READY, job.id(), job.attempt()));
            return;
        }
        if (inReady.add(job.id())) {
            ready.add(job);
        }
    }

    private void dispatch() {
        if (ready.isEmpty() || freeSlots <= 0) {
            return;
        }
        Instant now = now();
        while (freeSlots > 0 && !ready.isEmpty()) {
            Job queued = ready.poll();
            inReady.remove(queued.id());
            Job job = active.get(queued.id());
            if (job == null || job.status() != JobStatus.QUEUED) {
                continue; // cancelled or otherwise moved on while it waited
            }
            Placer placer = placerFor(job.spec().placement().policy());
            Placer.Decision decision =
                    placer.place(job, placementOrder, refusedBy.getOrDefault(job.id(), Set.of()), now);
            if (decision.winner() == null) {
                Job unplaced = job.withRouting(decision.routing());
                track(unplaced);
                if (!sameReasoning(job.routing(), decision.routing())) {
                    // "why not placed" must be readable through the API, which reads the store; written only when
                    // the reasoning changes, so a job that stays parked costs no further writes
                    commitEvents(List.of(), List.of(unplaced));
                }
                parked.add(job);
                continue;
            }
            assign(job, decision.winner(), decision, now);
        }
    }

    private Placer placerFor(PlacementPolicy policy) {
        return switch (policy) {
            case FIRST_HEALTHY -> firstHealthy;
            case BIN_PACK -> binPack;
            // No auction yet (seed 002): such a job is placed least-loaded, and its routing record names that policy.
            case LEAST_LOADED, AUCTION -> leastLoaded;
        };
    }

    private static boolean sameReasoning(Routing before, Routing now) {
        return before != null
                && before.winner() == null
                && before.policy().equals(now.policy())
                && before.candidates().equals(now.candidates());
    }

    /** Parked jobs get another chance whenever the set of nodes or their free capacity changes. */
    private void unpark() {
        if (parked.isEmpty()) {
            return;
        }
        for (Job job : parked) {
            Job current = active.get(job.id());
            if (current != null && current.status() == JobStatus.QUEUED && inReady.add(current.id())) {
                ready.add(current);
            }
        }
        parked.clear();
    }

    private void assign(Job job, NodeState node, Placer.Decision decision, Instant now) {
        Job assigned = job.assign(node.id, decision.routing(), now);
        track(assigned);
        node.running.add(job.id());
        freeSlots--;
        if (job.spec().timeoutMs() != null) {
            timers.add(new Timer(
                    now.toEpochMilli() + job.spec().timeoutMs(),
                    Timer.Kind.ATTEMPT_TIMEOUT,
                    job.id(),
                    assigned.attempt()));
        }
        Message.AssignJob frame = new Message.AssignJob(
                job.id(),
                assigned.attempt(),
                job.spec().type(),
                job.spec().payload(),
                job.spec().deadline(),
                job.spec().timeoutMs(),
                job.id() + "/" + assigned.attempt());
        // Written behind, and only if still due: the frame leaves now, and the ASSIGNED (or by then RUNNING) state is
        // written DEFERRED_WRITE_DELAY_MS later unless the attempt's result came first and its terminal write carried
        // everything. Nothing the client was told depends on it: if the coordinator dies first, the job is still QUEUED
        // in the store and runs again after recovery (at-least-once); the agent's late report for the lost attempt is
        // fenced off by the attempt number.
        deferWrite(assigned);
        send(node, frame);
    }

    // ---------------------------------------------------------------- nodes

    private void connect(NodeLink link, Message.Hello hello, Duration heartbeatInterval) {
        Instant now = now();
        NodeState previous = nodes.get(hello.nodeId());
        if (previous != null && previous.link != link) {
            previous.link.close("replaced by a new connection");
            releaseNode(previous);
        }
        NodeState node = new NodeState(hello.nodeId(), hello, link, now);
        // A node told to heartbeat less often than configured may stay silent proportionally longer.
        node.silenceScale = Math.max(
                1.0,
                heartbeatInterval.toMillis()
                        / (double) config.heartbeatInterval().toMillis());
        nodes.put(node.id, node);
        placementOrder = List.copyOf(nodes.values());
        adoptRunningJobs(node, hello.runningJobs());
        recountFreeSlots();
        publish(node);
        unpark();
        LOG.info(
                "node {} ({}) joined via {}: executors={} capabilities={} max_concurrent={}",
                node.id,
                hello.name(),
                link.mode(),
                hello.executors(),
                hello.capabilities(),
                hello.maxConcurrent());
    }

    /** Jobs the agent says it is still running: adopt those that are still its current attempt, stop the rest. */
    private void adoptRunningJobs(NodeState node, List<Message.RunningJob> runningJobs) {
        for (Message.RunningJob claimed : runningJobs) {
            Job job = active.get(claimed.jobId());
            boolean current = placedIn(job, claimed.attempt()) && node.id.equals(job.nodeId());
            if (current) {
                node.running.add(job.id());
                orphans.remove(job.id());
            } else {
                send(node, new Message.JobCancel(claimed.jobId(), claimed.attempt(), "attempt no longer current"));
            }
        }
        // Jobs recovered from before a restart that this node held but did not claim: hand them to the first-heartbeat
        // reconciliation, which retries them at once instead of after the whole recovery grace.
        for (String jobId : List.copyOf(orphans)) {
            Job job = active.get(jobId);
            if (job != null && node.id.equals(job.nodeId()) && !node.running.contains(jobId)) {
                node.running.add(jobId);
                orphans.remove(jobId);
            }
        }
    }

    private void disconnect(String nodeId, NodeLink link) {
        NodeState node = nodes.get(nodeId);
        if (node == null || node.link != link) {
            return; // an old connection of a node that has already reconnected
        }
        node.connected = false;
        node.lastSeenMillis = System.currentTimeMillis(); // its jobs wait deadAfter from the close, however paced
        if (node.status == NodeStatus.HEALTHY) {
            node.status = NodeStatus.SUSPECT;
        }
        recountFreeSlots();
        publish(node);
        LOG.info(
                "node {} disconnected; its {} jobs wait {} ms for it to come back",
                nodeId,
                node.running.size(),
                config.deadAfter().toMillis());
    }

    private void drainNode(String nodeId) {
        NodeState node = nodes.get(nodeId);
        if (node != null) {
            node.draining = true;
            send(node, new Message.Drain("coordinator asked to drain"));
            recountFreeSlots();
            publish(node);
        }
    }

    private void checkHealth() {
        long nowMillis = System.currentTimeMillis();
        List<NodeState> dead = new ArrayList<>();
        for (NodeState node : nodes.values()) {
            long silent = nowMillis - node.lastSeenMillis;
            double scale = node.connected ? node.silenceScale : 1.0;
            NodeStatus before = node.status;
            if (silent > config.deadAfter().toMillis() * scale) {
                dead.add(node);
            } else if (silent > config.suspectAfter().toMillis() * scale || !node.connected) {
                node.status = NodeStatus.SUSPECT;
            }
            if (before != node.status) {
                recountFreeSlots();
                publish(node);
            }
        }
        for (NodeState node : dead) {
            LOG.warn(
                    "node {} is dead (no heartbeat for {} ms); retrying its {} jobs elsewhere",
                    node.id,
                    nowMillis - node.lastSeenMillis,
                    node.running.size());
            node.status = NodeStatus.DEAD;
            node.link.close("declared dead");
            nodes.remove(node.id);
            placementOrder = List.copyOf(nodes.values());
            publish(node);
            releaseNode(node);
        }
        timers.add(new Timer(
                nowMillis + Math.max(100, config.heartbeatInterval().toMillis() / 2), Timer.Kind.HEALTH, null, 0));
    }

    /** A node is gone: every job it held is retried (or failed, when out of attempts). */
    private void releaseNode(NodeState node) {
        for (String jobId : List.copyOf(node.running)) {
            Job job = active.get(jobId);
            if (job != null && node.id.equals(job.nodeId()) && !job.status().isTerminal()) {
                retryOrFail(job, new JobError("node_lost", "node " + node.id + " stopped responding"), true);
            }
        }
        node.running.clear();
        recountFreeSlots();
    }

    /** {@code jobId} no longer runs on {@code node}: adjusts the free-slot total without visiting every node. */
    private void freeSlot(NodeState node, String jobId) {
        int before = node.acceptsWork() ? node.freeSlots() : 0;
        if (node.running.remove(jobId) && node.acceptsWork()) {
            freeSlots += node.freeSlots() - before;
        }
    }

    private void recountFreeSlots() {
        int free = 0;
        for (NodeState node : nodes.values()) {
            if (node.acceptsWork()) {
                free += node.freeSlots();
            }
        }
        freeSlots = free;
    }

    private void publish(NodeState node) {
        nodeView.put(node.id, node.info());
    }

    // ---------------------------------------------------------------- reports from nodes

    private void onNodeMessage(String nodeId, NodeLink link, Message message) {
        NodeState node = nodes.get(nodeId);
        if (node == null || node.link != link) {
            return; // frame from a replaced or dead connection
        }
        node.lastSeenMillis = System.currentTimeMillis();
        switch (message) {
            case Message.Heartbeat hb -> heartbeat(node, hb);
            case Message.JobAccepted a -> current(node, a.jobId(), a.attempt()).ifPresent(this::accepted);
            case Message.JobRejected r ->
                current(node, r.jobId(), r.attempt()).ifPresent(job -> rejected(node, job, r));
            case Message.JobProgress p -> current(node, p.jobId(), p.attempt()).ifPresent(job -> progress(job, p));
            case Message.JobChunk c -> current(node, c.jobId(), c.attempt()).ifPresent(job -> chunk(job, c));
            case Message.JobDone d -> current(node, d.jobId(), d.attempt()).ifPresent(job -> done(node, job, d));
            case Message.JobError e -> current(node, e.jobId(), e.attempt()).ifPresent(job -> failed(node, job, e));
            default ->
                LOG.debug(
                        "node {} sent {} which the coordinator does not expect; ignored",
                        nodeId,
                        message.getClass().getSimpleName());
        }
    }

    private void heartbeat(NodeState node, Message.Heartbeat hb) {
        node.lastHeartbeatAt = now();
        node.load = hb.load();
        if (node.status == NodeStatus.SUSPECT && node.connected) {
            node.status = NodeStatus.HEALTHY;
            recountFreeSlots();
            unpark();
        }
        if (!node.reconciled) {
            reconcile(node, Set.copyOf(hb.runningJobIds()));
        }
        publish(node);
    }

    /**
     * On the first heartbeat of a connection: a job we believe this node holds from before the connection, that the
     * node neither lists as running nor reported, was lost with the node's previous process; retry it.
     */
    private void reconcile(NodeState node, Set<String> reportedRunning) {
        node.reconciled = true;
        for (String jobId : List.copyOf(node.running)) {
            Job job = active.get(jobId);
            if (job == null || reportedRunning.contains(jobId)) {
                continue;
            }
            Instant assignedAt =
                    job.attempts().isEmpty() ? null : job.attempts().getLast().startedAt();
            if (assignedAt != null && assignedAt.isBefore(node.connectedAt)) {
                node.running.remove(jobId);
                retryOrFail(job, new JobError("node_lost", "node " + node.id + " restarted without the job"), true);
            }
        }
        recountFreeSlots();
    }

    /** Whether {@code job} is on a node (ASSIGNED or RUNNING) in {@code attempt}: reports and timers for others are stale. */
    private static boolean placedIn(Job job, int attempt) {
        return job != null
                && job.attempt() == attempt
                && (job.status() == JobStatus.ASSIGNED || job.status() == JobStatus.RUNNING);
    }

    /** The job if {@code attempt} is its current attempt on {@code node}; stale reports are fenced off here. */
    private Optional<Job> current(NodeState node, String jobId, int attempt) {
        Job job = active.get(jobId);
        if (!placedIn(job, attempt) || !node.id.equals(job.nodeId())) {
            LOG.debug("ignoring stale report for job {} attempt {} from {}", jobId, attempt, node.id);
            return Optional.empty();
        }
        return Optional.of(job);
    }

    /**
     * The node started the attempt. Like ASSIGNED, RUNNING is kept in memory and written {@link
     * #DEFERRED_WRITE_DELAY_MS} after the state change only if the job is still running then: a short job's result
     * usually arrives first and its terminal write carries everything, saving two commits per job. A crash in between
     * loses nothing a client was promised (see {@link #assign}).
     */
    private void accepted(Job job) {
        if (job.status() == JobStatus.ASSIGNED) {
            deferWrite(job.running(now()));
        }
    }

    /** Tracks {@code job}'s new ASSIGNED or RUNNING state and schedules its write, unless one is already due. */
    private void deferWrite(Job job) {
        track(job);
        if (unwritten.putIfAbsent(job.id(), job) == null) {
            timers.add(new Timer(
                    System.currentTimeMillis() + DEFERRED_WRITE_DELAY_MS,
                    Timer.Kind.DEFERRED_WRITE,
                    job.id(),
                    job.attempt()));
        }
    }

    /**
     * Makes {@code job} RUNNING (a report implies the attempt started) and writes its state now if a deferred write is
     * still pending or the status changed; returns the job as it is now.
     */
    private Job writeRunning(Job job) {
        Job current = job.status() == JobStatus.ASSIGNED ? job.running(now()) : job;
        if (current != job) {
            track(current);
        }
        Job firstUnwritten = unwritten.remove(job.id());
        if (firstUnwritten != null) {
            commitSince(firstUnwritten, current);
        } else if (current != job) {
            commit(current);
        }
        return current;
    }

    /** The deferred write of {@code job}'s ASSIGNED or RUNNING state, if it is still due. */
    private void writeDeferred(Job job) {
        Job firstUnwritten = unwritten.remove(job.id());
        if (firstUnwritten != null) {
            commitSince(firstUnwritten, job);
        }
    }

    /**
     * Writes {@code current} with the status events owed since {@code firstUnwritten}: a job still running when its
     * deferred write comes gets its ASSIGNED and RUNNING events both, so only short attempts skip them.
     */
    private void commitSince(Job firstUnwritten, Job current) {
        List<JobEvent> events = firstUnwritten.status() == current.status()
                ? List.of(JobEvent.status(current, hub.nextSeq()))
                : List.of(JobEvent.status(firstUnwritten, hub.nextSeq()), JobEvent.status(current, hub.nextSeq()));
        commitEvents(events, List.of(current));
    }

    private void rejected(NodeState node, Job job, Message.JobRejected r) {
        freeSlot(node, job.id());
        Instant now = now();
        JobError why = new JobError(r.errorCode(), r.message());
        if (OUT_OF_CAPACITY.equals(r.errorCode())) {
            // Our view of its slots was stale: not a failed run, no attempt used; a short pause keeps a node that
            // keeps refusing from spinning the loop.
            update(job.endAttempt(JobStatus.QUEUED, "rejected", null, why, now.plusMillis(REJECTION_PAUSE_MS), now));
            return;
        }
        // The node cannot run this job at all (unsupported type, shell command not allowed, model not loaded):
        // try the others; if no other node could ever take it, fail now with the node's own explanation.
        Set<String> refused = refusedBy.computeIfAbsent(job.id(), id -> new HashSet<>());
        refused.add(node.id);
        if (nodes.values().stream().anyMatch(other -> couldRun(job, other, refused))) {
            update(job.endAttempt(JobStatus.QUEUED, "rejected", null, why, null, now));
        } else {
            terminal(job.endAttempt(
                    JobStatus.FAILED,
                    "rejected",
                    null,
                    new JobError(r.errorCode(), r.message() + " (no other node can run it)"),
                    null,
                    now));
        }
    }

    private static boolean couldRun(Job job, NodeState node, Set<String> refused) {
        if (refused.contains(node.id)) {
            return false;
        }
        String why = Eligibility.rejection(job, node);
        return why == null || why.equals(Eligibility.NO_FREE_SLOT);
    }

    private void progress(Job job, Message.JobProgress p) {
        Instant now = now();
        Job updated = writeRunning(job).withProgress(Math.max(0, Math.min(1, p.progress())), now);
        track(updated);
        JobEvent event = JobEvent.progress(job.id(), hub.nextSeq(), now, job.attempt(), updated.progress(), p.log());
        commitEvents(List.of(event), List.of(updated));
    }

    private void chunk(Job job, Message.JobChunk c) {
        Instant now = now();
        writeRunning(job);
        JobEvent event = JobEvent.chunk(job.id(), hub.nextSeq(), now, job.attempt(), c.seq(), c.data(), c.stream());
        commitEvents(List.of(event), List.of());
    }

    private void done(NodeState node, Job job, Message.JobDone d) {
        freeSlot(node, job.id());
        Job completed = started(job)
                .withRoute(d.executor(), d.routeRule())
                .endAttempt(JobStatus.COMPLETED, "completed", d.result(), null, null, now());
        terminal(completed);
    }

    /**
     * The job as RUNNING: an agent leaves out {@code job_accepted} when the attempt's result goes in the same frame,
     * so a result for an ASSIGNED attempt also says it started (now, as far as the coordinator can tell).
     */
    private Job started(Job job) {
        return job.status() == JobStatus.ASSIGNED ? job.running(now()) : job;
    }

    private void failed(NodeState node, Job job, Message.JobError e) {
        freeSlot(node, job.id());
        Job ran = started(job);
        JobError why = new JobError(e.errorCode(), e.message());
        if (AGENT_STOPPING.equals(e.errorCode())) {
            // The agent is shutting down (e.g. Ctrl-C on `mesh up`): not the job's fault, so no attempt is used.
            Instant now = now();
            update(ran.endAttempt(JobStatus.QUEUED, INTERRUPTED, null, why, null, now));
            return;
        }
        retryOrFail(ran, why, e.retryable());
    }

    // ---------------------------------------------------------------- retries, timeouts, cancel

    private void retryOrFail(Job job, JobError error, boolean retryable) {
        Instant now = now();
        NodeState node = job.nodeId() == null ? null : nodes.get(job.nodeId());
        if (node != null && node.running.remove(job.id())) {
            recountFreeSlots();
        }
        long failedRuns = job.attempts().stream()
                        .filter(a -> a.outcome() != null && !FREE_OUTCOMES.contains(a.outcome()))
                        .count()
                + 1;
        int maxAttempts = job.spec().retry().maxAttempts();
        if (!retryable || failedRuns >= maxAttempts) {
            String why = retryable
                    ? error.message() + " (attempt " + failedRuns + " of " + maxAttempts + ")"
                    : error.message();
            terminal(job.endAttempt(
                    JobStatus.FAILED, outcomeOf(error), null, new JobError(error.code(), why), null, now));
            return;
        }
        long delay = job.spec().retry().backoff().delayMs((int) failedRuns + 1, random);
        Instant retryAt = now.plusMillis(delay);
        Job requeued = job.endAttempt(JobStatus.QUEUED, outcomeOf(error), null, error, retryAt, now);
        update(requeued);
    }

    private static String outcomeOf(JobError error) {
        return switch (error.code()) {
            case "timeout" -> "timeout";
            case "node_lost" -> "lost";
            case "cancelled" -> "cancelled";
            default -> "failed";
        };
    }

    private void attemptTimedOut(Job job) {
        NodeState node = nodes.get(job.nodeId());
        if (node != null) {
            send(node, new Message.JobCancel(job.id(), job.attempt(), "timeout"));
        }
        retryOrFail(
                job,
                new JobError(
                        "timeout",
                        "attempt " + job.attempt() + " exceeded timeout_ms="
                                + job.spec().timeoutMs()),
                true);
    }

    private void deadlinePassed(Job job) {
        stopOnNode(job, "deadline passed");
        finish(
                job,
                JobStatus.TIMED_OUT,
                new JobError(
                        "deadline_exceeded",
                        "the job's deadline " + job.spec().deadline() + " passed before it completed"));
    }

    private void cancel(String jobId, CompletableFuture<CancelOutcome> reply) {
        Job job = active.get(jobId);
        if (job == null) {
            Optional<Job> stored = store.find(jobId);
            reply.complete(stored.<CancelOutcome>map(CancelOutcome.AlreadyFinished::new)
                    .orElse(new CancelOutcome.NotFound(jobId)));
            return;
        }
        stopOnNode(job, "cancelled by request");
        Job cancelled = finish(job, JobStatus.CANCELLED, new JobError("cancelled", "cancelled by request"));
        afterCommit(() -> reply.complete(new CancelOutcome.Cancelled(cancelled)));
    }

    private void stopOnNode(Job job, String reason) {
        if (job.status() != JobStatus.ASSIGNED && job.status() != JobStatus.RUNNING) {
            return;
        }
        NodeState node = nodes.get(job.nodeId());
        if (node != null) {
            node.running.remove(job.id());
            send(node, new Message.JobCancel(job.id(), job.attempt(), reason));
            recountFreeSlots();
        }
    }

    private Job finish(Job job, JobStatus terminal, JobError why) {
        Job ended = job.finish(terminal, why, now());
        terminal(ended);
        return ended;
    }

    // ---------------------------------------------------------------- timers

    private void fireDueTimers() {
        long nowMillis = System.currentTimeMillis();
        while (!timers.isEmpty() && timers.peek().dueMillis() <= nowMillis) {
            Timer timer = timers.poll();
            Job job = timer.jobId() == null ? null : active.get(timer.jobId());
            switch (timer.kind()) {
                case HEALTH -> checkHealth();
                case RECOVERY_GRACE -> expireOrphans();
                case RETRY_READY -> {
                    if (job != null && job.status() == JobStatus.QUEUED && job.attempt() == timer.attempt()) {
                        makeReady(job);
                    }
                }
                case ATTEMPT_TIMEOUT -> {
                    if (placedIn(job, timer.attempt())) {
                        attemptTimedOut(job);
                    }
                }
                case DEFERRED_WRITE -> {
                    if (placedIn(job, timer.attempt())) {
                        writeDeferred(job);
                    }
                }
                case DEADLINE -> {
                    if (job != null && job.status().canTransitionTo(JobStatus.TIMED_OUT)) {
                        deadlinePassed(job);
                    }
                }
            }
        }
    }

    private void expireOrphans() {
        for (String jobId : List.copyOf(orphans)) {
            Job job = active.get(jobId);
            if (job != null && (job.status() == JobStatus.ASSIGNED || job.status() == JobStatus.RUNNING)) {
                retryOrFail(
                        job,
                        new JobError(
                                "node_lost",
                                "node " + job.nodeId() + " did not reconnect within "
                                        + config.recoveryGrace().toMillis() + " ms of a restart"),
                        true);
            }
        }
        orphans.clear();
    }

    // ---------------------------------------------------------------- durability

    /** Puts {@code job} in the active set, keeping the per-status counts true. */
    private void track(Job job) {
        Job before = active.put(job.id(), job);
        counts.moved(before == null ? null : before.status(), job.status());
    }

    /** Records a non-terminal state change: in memory now, durable soon, and placed again if it is QUEUED. */
    private void update(Job job) {
        track(job);
        unwritten.remove(job.id()); // this write carries the state that was waiting
        commit(job);
        if (job.status() == JobStatus.QUEUED) {
            makeReady(job);
        }
    }

    private void terminal(Job job) {
        Job before = active.remove(job.id());
        counts.moved(before == null ? null : before.status(), job.status());
        recentlyEnded.put(job.id(), job.status());
        orphans.remove(job.id());
        refusedBy.remove(job.id());
        unwritten.remove(job.id());
        JobEvent status = JobEvent.status(job, hub.nextSeq());
        JobEvent end = JobEvent.end(job, hub.nextSeq());
        pendingWrites.add(new Write.Update(job));
        pendingWrites.add(new Write.AppendEnd(status, end)); // one row for the two
        pendingEvents.add(status);
        pendingEvents.add(end);
        pendingEnded.add(job);
        dependencyEnded(job);
        unpark();
    }

    private void commit(Job job) {
        commitEvents(List.of(JobEvent.status(job, hub.nextSeq())), List.of(job));
    }

    /** Queues the writes for {@code jobs} and {@code events}; they commit together at the end of this loop turn. */
    private void commitEvents(List<JobEvent> events, List<Job> jobs) {
        for (Job job : jobs) {
            pendingWrites.add(new Write.Update(job));
        }
        for (JobEvent event : events) {
            pendingWrites.add(new Write.AppendEvent(event));
            pendingEvents.add(event);
        }
    }

    /**
     * Hands everything this loop turn decided to the group commit writer as one group: one future and one callback per
     * turn instead of per job. Events reach subscribers, and after-commit actions run, only once it is durable.
     */
    private void flushWrites() {
        if (pendingWrites.isEmpty()) {
            if (!pendingActions.isEmpty()) {
                List<Runnable> actions = List.copyOf(pendingActions);
                pendingActions.clear();
                lastCommit.whenComplete((ignored, error) -> actions.forEach(Runnable::run));
            }
            return;
        }
        List<Write> writes = List.copyOf(pendingWrites);
        List<JobEvent> events = List.copyOf(pendingEvents);
        List<Job> ended = List.copyOf(pendingEnded);
        List<Runnable> actions = List.copyOf(pendingActions);
        pendingWrites.clear();
        pendingEvents.clear();
        pendingEnded.clear();
        pendingActions.clear();
        lastCommit = writer.submitAll(writes).whenComplete((outcomes, error) -> {
            if (error != null) {
                LOG.error("could not persist {} writes; state in memory is ahead of the store", writes.size(), error);
            } else {
                warnUnapplied(writes, outcomes);
                hub.publishCommitted(events, ended);
            }
            actions.forEach(Runnable::run);
        });
    }

    private static void warnUnapplied(List<Write> writes, List<JobStore.Outcome> outcomes) {
        for (int i = 0; i < writes.size(); i++) {
            if (writes.get(i) instanceof Write.Update(Job job) && outcomes.get(i) != JobStore.Outcome.APPLIED) {
                LOG.warn("store {} the update of job {} to {}", outcomes.get(i), job.id(), job.status());
            }
        }
    }

    /** Runs {@code action} once everything decided so far is durable (the writer commits in order). */
    private void afterCommit(Runnable action) {
        pendingActions.add(action);
    }
}
